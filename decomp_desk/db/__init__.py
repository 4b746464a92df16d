"""Database: models, engine, migrations. Only the services import this package."""
