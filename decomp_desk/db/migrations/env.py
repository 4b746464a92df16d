"""Alembic runs from code only (decomp_desk.db.migrate), on the program's own connection."""
from alembic import context

from decomp_desk.db import models  # noqa: F401  (registers the tables)
from decomp_desk.db.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through decomp_desk.db.migrate, which supplies the connection.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
