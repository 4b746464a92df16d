"""Bad files and bad addresses: a missing, read-only, locked, damaged or foreign database file, an
unreachable or refusing server. Each gives DatabaseUnavailable with one plain sentence saying what to do,
never a driver traceback, and changes nothing.

About read-only files: these tests usually run as root, whom chmod does not stop. The read-only cases
therefore run in a child process that has dropped CAP_DAC_OVERRIDE (so root obeys file permissions, as
any clinic user would); where that is not possible they are skipped, not faked. The `mode=ro` URL case
(SQLite opening the file read-only itself) runs everywhere.
"""
from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import decomp_desk.db.engine as engine_module
from decomp_desk.bootstrap import open_services
from decomp_desk.domain.validation import PatientInput
from decomp_desk.services.context import DatabaseUnavailable
from tests.sqlite_files import connect_file

PG_ENV = "DECOMP_DESK_TEST_PG"
ROOT = Path(__file__).resolve().parents[2]


def refused(call) -> str:
    """The sentence DatabaseUnavailable carries, checked to be fit for a message box."""
    with pytest.raises(DatabaseUnavailable) as err:
        call()
    e = err.value
    assert e.__cause__ is None and e.__suppress_context__, "the driver's traceback must not be chained on"
    text = str(e)
    assert text and "\n" not in text and "sqlalche" not in text.lower() and "Traceback" not in text
    return text


def open_and_list(url: str):
    sv = open_services(url)
    try:
        return sv.patients.list()
    finally:
        sv.dispose()


def open_and_save(url: str):
    sv = open_services(url)
    try:
        return sv.patients.create(PatientInput("5001", "Rae", "Only"))
    finally:
        sv.dispose()


def count_patients(path: Path) -> int:
    with connect_file(path) as c:
        return c.execute("SELECT count(*) FROM patients").fetchone()[0]


@pytest.fixture
def db_file(sqlite_url) -> Path:
    return Path(sqlite_url.removeprefix("sqlite:///"))


@pytest.fixture
def impatient(monkeypatch):
    """SQLite waits 10 s for a lock before giving up; the same pragmas with a 0.3 s wait keep the tests quick."""
    def pragmas(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        for pragma in ("foreign_keys=ON", "busy_timeout=300", "journal_mode=WAL", "synchronous=FULL"):
            dbapi_conn.execute(f"PRAGMA {pragma}")
    monkeypatch.setattr(engine_module, "_sqlite_pragmas", pragmas)


# --- missing ----------------------------------------------------------------------------------------

def test_a_missing_file_is_refused_and_never_made_into_a_clinic(tmp_path):
    path = tmp_path / "not" / "yet" / "clinic.sqlite3"
    text = refused(lambda: open_and_list(f"sqlite:///{path}"))
    assert "There is no clinic database" in text and "does not exist" in text and "decomp-desk create" in text
    assert not path.exists() and not path.parent.exists()


def test_an_empty_file_is_refused_and_left_empty(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(b"")
    text = refused(lambda: open_and_save(f"sqlite:///{path}"))
    assert "is empty (0 bytes)" in text and "decomp-desk create" in text
    assert path.read_bytes() == b"" and not list(tmp_path.glob("clinic.sqlite3-*"))


def test_a_folder_that_cannot_be_made(tmp_path):
    (tmp_path / "a-file").write_text("in the way")
    text = refused(lambda: open_services(f"sqlite:///{tmp_path / 'a-file' / 'clinic.sqlite3'}"))
    assert text.startswith("There is no clinic database")


def test_a_read_only_open_of_a_missing_file(tmp_path):
    text = refused(lambda: open_services(f"sqlite:///file:{tmp_path / 'gone.sqlite3'}?mode=ro&uri=true"))
    assert "There is no clinic database" in text
    assert not (tmp_path / "gone.sqlite3").exists() and not Path("file:").exists()


# --- not a database, or damaged ------------------------------------------------------------------

@pytest.mark.parametrize("content", [os.urandom(16384), b"chart_number,first_name\n1001,Ann\n" * 200, b"\0" * 100],
                         ids=["random bytes", "a CSV file", "zeros"])
def test_a_file_that_is_not_a_database(tmp_path, content):
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(content)
    text = refused(lambda: open_services(f"sqlite:///{path}"))
    assert "not a DecompDesk database" in text or "damaged" in text
    assert path.read_bytes() == content  # not "repaired" into something else


def test_a_database_whose_pages_are_damaged(db_file):
    open_and_save(f"sqlite:///{db_file}")
    data = bytearray(db_file.read_bytes())
    for i in range(4096, len(data), 3):  # the header page survives, the tables do not
        data[i] ^= 0xA5
    db_file.write_bytes(bytes(data))
    text = refused(lambda: open_and_save(f"sqlite:///{db_file}"))
    assert "damaged" in text and "restore" in text


def test_a_database_damaged_while_the_desk_has_it_open(db_file):
    sv = open_services(f"sqlite:///{db_file}")
    try:
        sv.ctx.Session.kw["bind"].dispose()  # as after an idle while: the next call reconnects
        db_file.write_bytes(os.urandom(db_file.stat().st_size))
        for f in (db_file.with_name(db_file.name + "-wal"), db_file.with_name(db_file.name + "-shm")):
            f.unlink(missing_ok=True)
        refused(lambda: sv.patients.list())
        refused(lambda: sv.patients.create(PatientInput("5002", "A", "B")))
    finally:
        sv.dispose()


def test_a_database_from_a_newer_version(db_file):
    with connect_file(db_file) as c:
        c.execute("UPDATE alembic_version SET version_num = 'f00dcafe9999'")
    text = refused(lambda: open_services(f"sqlite:///{db_file}"))
    assert "newer version of DecompDesk" in text


# --- read-only ------------------------------------------------------------------------------------

def test_a_database_opened_read_only_reads_but_refuses_to_save(db_file):
    open_and_save(f"sqlite:///{db_file}")
    url = f"sqlite:///file:{db_file}?mode=ro&uri=true"
    assert [p.chart_number for p in open_and_list(url)] == ["5001"]
    sv = open_services(url)
    try:
        text = refused(lambda: sv.patients.create(PatientInput("5003", "A", "B")))
    finally:
        sv.dispose()
    assert "read-only" in text
    assert count_patients(db_file) == 1


def _drop_root_file_powers() -> None:
    """In the child: without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH even root obeys chmod."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


CHILD = textwrap.dedent("""
    import sys
    from decomp_desk.bootstrap import open_services
    from decomp_desk.domain.validation import PatientInput
    from decomp_desk.services.context import DatabaseUnavailable
    try:
        sv = open_services(sys.argv[1])
        print("LISTED", len(sv.patients.list()))
        sv.patients.create(PatientInput("5004", "A", "B"))
        print("SAVED")
    except DatabaseUnavailable as e:
        print("REFUSED", e)
""")


def _as_an_ordinary_user(url: str, read_only: Path) -> str:
    """Run CHILD with `read_only` chmodded to r-x and without root's power over file permissions; its output."""
    preexec = _drop_root_file_powers if os.geteuid() == 0 else None
    mode = read_only.stat().st_mode
    read_only.chmod(0o555 if read_only.is_dir() else 0o444)
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, url], capture_output=True, text=True, timeout=60,
                              cwd=ROOT, preexec_fn=preexec)
    except subprocess.SubprocessError as e:  # prctl refused: the container does not allow dropping it
        pytest.skip(f"cannot run without root's file powers here ({e}); chmod proves nothing to root")
    finally:
        read_only.chmod(mode)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout


def test_a_read_only_file(db_file):
    open_and_save(f"sqlite:///{db_file}")
    out = _as_an_ordinary_user(f"sqlite:///{db_file}", db_file)
    assert "LISTED 1" in out and "REFUSED The database file is read-only" in out
    assert count_patients(db_file) == 1


def test_a_read_only_folder(db_file):
    """WAL mode writes beside the file (-wal, -shm): a folder that refuses new files refuses the database."""
    out = _as_an_ordinary_user(f"sqlite:///{db_file}", db_file.parent)
    assert out.startswith("REFUSED") and ("cannot be opened" in out or "read-only" in out)
    assert count_patients(db_file) == 0


# --- locked ---------------------------------------------------------------------------------------

def test_a_save_while_another_program_holds_the_write_lock(db_file, impatient):
    sv = open_services(f"sqlite:///{db_file}")
    other = connect_file(db_file, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE clinic_settings SET name = 'busy elsewhere'")
        text = refused(lambda: sv.patients.create(PatientInput("5005", "A", "B")))
        assert "busy" in text and "try again" in text
        assert sv.patients.list() == []  # reading still works meanwhile
        other.execute("ROLLBACK")
        sv.patients.create(PatientInput("5005", "A", "B"))  # the way out: try again
    finally:
        other.close()
        sv.dispose()
    assert count_patients(db_file) == 1


def test_opening_a_database_another_program_holds_exclusively(db_file, impatient):
    other = connect_file(db_file, isolation_level=None)
    try:
        other.execute("PRAGMA locking_mode=EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("COMMIT")  # the exclusive lock stays until the connection closes
        started = time.monotonic()
        text = refused(lambda: open_services(f"sqlite:///{db_file}"))
        assert "busy" in text and time.monotonic() - started < 5
    finally:
        other.close()
    assert open_and_list(f"sqlite:///{db_file}") == []  # released: it opens


# --- servers and addresses ------------------------------------------------------------------------

def test_an_unreachable_server():
    started = time.monotonic()
    text = refused(lambda: open_services("postgresql+psycopg://x:y@127.0.0.1:1/none?connect_timeout=3"))
    assert "server cannot be reached" in text and time.monotonic() - started < 10


def test_a_server_name_that_does_not_resolve():
    text = refused(lambda: open_services("postgresql+psycopg://x:y@no-such-host.invalid/none?connect_timeout=3"))
    assert "name cannot be found" in text


@pytest.mark.parametrize("change, expected", [
    (dict(password="not-the-password"), "refused the user name or password"),
    (dict(database="no_such_database_here"), "no database of that name"),
], ids=["wrong password", "no such database"])
def test_a_server_that_refuses(change, expected):
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"needs {PG_ENV}")
    from sqlalchemy.engine import make_url
    url = make_url(base).set(**change).update_query_dict({"connect_timeout": "3"})
    text = refused(lambda: open_services(url.render_as_string(hide_password=False)))
    assert expected in text and "not-the-password" not in text


@pytest.mark.parametrize("url", ["nonsense://x", "this is not an address", "mysql+nodriver://a@b/c"])
def test_an_address_that_is_not_a_database_address(url):
    assert "sqlite:///" in refused(lambda: open_services(url))



def test_a_value_the_column_cannot_hold_is_a_field_refusal_not_a_database_failure(db_url):
    """PostgreSQL enforces text lengths and refuses NUL characters where SQLite stores them: what a validator
    lets through is still refused as bad input (ValidationError), with nothing written."""
    from decomp_desk.domain.errors import ValidationError

    sv = open_services(db_url)
    try:
        # A name longer than its column is refused by the patient rules themselves, on both databases.
        try:
            sv.patients.create(PatientInput("5006", "A" * 150, "B"))
        except ValidationError as e:
            assert list(e.errors) == ["first_name"]
        else:
            raise AssertionError("a 150-character first name was saved")
        for data in (PatientInput("5007", "A", "B", notes="nul\x00here"),):
            try:
                sv.patients.create(data)
            except ValidationError as e:
                assert db_url.startswith("postgresql")
                assert list(e.errors) == ["input"] and "nothing was saved" in str(e)
        if db_url.startswith("postgresql"):
            assert sv.patients.list() == []
    finally:
        sv.dispose()
