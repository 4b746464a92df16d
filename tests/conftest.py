"""Shared fixtures. The offscreen platform is set before anything can import Qt: without a display
every Qt process would abort.

Database tests take the `db_url` fixture, which runs each test on SQLite and again on PostgreSQL.
PostgreSQL needs DECOMP_DESK_TEST_PG (an URL to a server whose role may CREATE DATABASE; .ci/run
starts one and sets it); without it the PostgreSQL half is skipped, loudly, by the -ra summary."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
# Nothing a test starts (the desk's window memory, its log, daily backups), in this process or a child,
# writes into the user's own data folder; a test that needs its own points XDG_DATA_HOME elsewhere.
import tempfile

os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="decomp-desk-test-data-")

# The keys of the test databases (encrypted, as every new SQLite clinic is) go to a folder of this run,
# never to the user's own configuration folder; the command lines the tests start inherit it.
os.environ.setdefault("DECOMP_DESK_KEY_DIR", tempfile.mkdtemp(prefix="decomp-desk-test-keys-"))

import itertools
import shutil
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from decomp_desk.bootstrap import open_services
from decomp_desk.domain.types import Role
from decomp_desk.services.context import Actor

PG_ENV = "DECOMP_DESK_TEST_PG"
CLINICIAN = Actor("dr.test", "Dr. Test Clinician", frozenset(Role))
_counter = itertools.count()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file made once, as `decomp-desk create` makes one (encrypted, its key kept in the
    test run's key folder); each test gets a copy, which the same key opens (much faster than migrating
    each time)."""
    from decomp_desk.services.clinic_files import create_clinic

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    create_clinic(f"sqlite:///{path}", None)
    return path


@pytest.fixture(scope="session")
def pg_template():
    """A migrated PostgreSQL template database; each test gets CREATE DATABASE ... TEMPLATE."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"decomp_template_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    open_services(url).dispose()
    yield admin, name
    _drop_database(admin, name)
    admin.dispose()


def _drop_database(admin, name: str) -> None:
    """Drop a test database. An autovacuum worker visiting it can make the drop fail for a moment when
    the test role may not end that worker; a few retries, then a warning, never a failed test."""
    for attempt in range(10):
        try:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError as error:
            last = error
            time.sleep(0.2 * (attempt + 1))
    warnings.warn(f"test database {name} left behind: {last.orig}")


@contextmanager
def fresh_database(kind: str, folder: Path, sqlite_template: Path, pg_template) -> Iterator[str]:
    """A migrated, empty database of `kind` ('sqlite' or 'postgresql'), dropped afterwards."""
    if kind == "sqlite":
        path = folder / "clinic.sqlite3"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    if pg_template is None:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (set by .ci/run)")
    admin, template = pg_template
    name = f"decomp_t{os.getpid()}_{next(_counter)}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(os.environ[PG_ENV]).set(database=name).render_as_string(hide_password=False)
    _drop_database(admin, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, sqlite_template, pg_template):
    with fresh_database(request.param, tmp_path, sqlite_template, pg_template) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(request, tmp_path_factory, sqlite_template, pg_template):
    """One database per test module and kind, for tests that only read what an expensive set-up wrote."""
    with fresh_database(request.param, tmp_path_factory.mktemp("module"), sqlite_template, pg_template) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template):
    """SQLite only: for tests about the embedded file itself (backups, crash safety, the desk)."""
    path = tmp_path / "clinic.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def services(db_url):
    """The services on a fresh database, acting as a clinician who holds every role."""
    sv = open_services(db_url, CLINICIAN)
    yield sv
    sv.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request, tmp_path):
    """A database with no tables at all (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (set by .ci/run)")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"decomp_empty{os.getpid()}_{next(_counter)}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    _drop_database(admin, name)
    admin.dispose()
