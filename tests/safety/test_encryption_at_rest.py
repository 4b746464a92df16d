"""Issue 11, point 1: the embedded database is encrypted at rest (SQLCipher); its key is kept for the
workstation's user, never beside the file; the recovery passphrase opens the file anywhere, from the file
alone; a wrong key or passphrase is a sentence; `encrypt` converts a plain file; PostgreSQL asks for TLS."""
from __future__ import annotations

import json
import os
import shutil

import pytest
from sqlalchemy import text

from decomp_desk.bootstrap import open_services
from decomp_desk.db import cipher, keystore
from decomp_desk.db.engine import make_engine, sqlite_path
from decomp_desk.db.migrate import ensure_schema
from decomp_desk.domain.validation import PatientInput
from tests.conftest import CLINICIAN
from tests.safety.helpers import SECRET_NAME, ok, refused

FIRST, LAST = SECRET_NAME.split()


def test_the_file_and_its_wal_carry_no_patient_name(sqlite_url):
    sv = open_services(sqlite_url, CLINICIAN)
    try:
        sv.patients.create(PatientInput("7001", FIRST, LAST, phone="555-0199"))
        path = sqlite_path(sqlite_url)
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        assert any(p.name.endswith("-wal") for p in files)  # read while the desk has it open, mid-WAL
        for p in files:
            raw = p.read_bytes()
            assert FIRST.encode() not in raw and b"555-0199" not in raw and b"CREATE TABLE" not in raw, p.name
        assert not path.read_bytes().startswith(b"SQLite format 3")
        assert [r.chart_number for r in sv.patients.list()] == ["7001"]  # the program reads it as ever
    finally:
        sv.dispose()


def test_the_key_is_kept_for_the_user_never_beside_the_database(sqlite_url):
    path = sqlite_path(sqlite_url)
    salt = cipher.encrypted_salt(path)
    key_file = keystore.key_dir() / f"{salt.hex()}.key"
    key = bytes.fromhex(json.loads(key_file.read_text())["key"])
    assert cipher.key_opens(path, key)
    beside = b"".join(p.read_bytes() for p in path.parent.iterdir() if p.is_file())
    assert key.hex().encode() not in beside and key not in beside
    assert keystore.key_dir().resolve() not in path.resolve().parents


def test_the_recovery_passphrase_opens_a_copy_anywhere(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    secret = tmp_path / "recovery.txt"
    secret.write_text("correct horse battery staple\n")
    assert "encrypted" in ok(url, "--passphrase-file", str(secret), "create")
    sv = open_services(url, CLINICIAN)
    sv.patients.create(PatientInput("7001", FIRST, LAST))
    sv.dispose()

    elsewhere = tmp_path / "other-computer"
    elsewhere.mkdir()
    copy = elsewhere / "found.sqlite3"
    shutil.copy(tmp_path / "clinic.sqlite3", copy)  # the file alone, to another user with no keys
    stranger = {"DECOMP_DESK_KEY_DIR": str(elsewhere / "keys"), "HOME": str(elsewhere)}
    no_key = refused(f"sqlite:///{copy}", "patients", env=stranger)
    assert "encrypted" in no_key and "--passphrase-file" in no_key
    listed = ok(f"sqlite:///{copy}", "patients", "--json", "--passphrase-file", str(secret), env=stranger)
    assert [p["last_name"] for p in json.loads(listed)] == [LAST]
    assert "OK" in ok(f"sqlite:///{copy}", "--passphrase-file", str(secret), "check", env=stranger)

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase at all\n")
    said = refused(f"sqlite:///{copy}", "--passphrase-file", str(wrong), "patients", env=stranger)
    assert said.startswith("The recovery passphrase given does not open the database")
    assert not (elsewhere / "keys").exists() or not any((elsewhere / "keys").iterdir())


def test_a_key_that_does_not_open_the_file_is_a_sentence(sqlite_url, tmp_path):
    path = sqlite_path(sqlite_url)
    salt = cipher.encrypted_salt(path)
    other = tmp_path / "keys"
    other.mkdir()
    (other / f"{salt.hex()}.key").write_text(json.dumps({"key": os.urandom(32).hex()}))
    said = refused(sqlite_url, "patients", env={"DECOMP_DESK_KEY_DIR": str(other)})
    assert said.startswith("The key kept for this user does not open the database")


def test_encrypt_converts_a_plain_database_and_leaves_no_plain_copy(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")  # a plain database, as earlier versions made them
    ensure_schema(engine)
    engine.dispose()
    url = f"sqlite:///{path}"
    sv = open_services(url, CLINICIAN)
    sv.patients.create(PatientInput("7001", FIRST, LAST))
    sv.dispose()
    assert path.read_bytes().startswith(b"SQLite format 3") and FIRST.encode() in path.read_bytes()
    assert "encryption: none" in ok(url, "check")

    secret = tmp_path / "recovery.txt"
    secret.write_text("correct horse battery staple\n")
    said = ok(url, "encrypt", "--passphrase-file", str(secret))
    assert said.startswith(f"Encrypted the database {path}")
    assert not path.read_bytes().startswith(b"SQLite format 3")
    assert [p.name for p in tmp_path.iterdir() if FIRST.encode() in p.read_bytes()] == []
    assert [p["chart_number"] for p in json.loads(ok(url, "patients", "--json"))] == ["7001"]
    assert "encryption: SQLCipher" in ok(url, "check")
    again = refused(url, "encrypt")
    assert "already encrypted" in again
    stranger = {"DECOMP_DESK_KEY_DIR": str(tmp_path / "nobody")}
    assert "7001" in ok(url, "patients", "--passphrase-file", str(secret), env=stranger)


def test_postgresql_asks_for_tls_where_the_server_offers_it(db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("the embedded file has no network")
    for url, wanted in ((db_url, b"prefer"), (db_url + "?sslmode=disable", b"disable")):
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                options = {o.keyword: o.val for o in raw.pgconn.info}
                assert options[b"sslmode"] == wanted
                assert conn.execute(text("SELECT 1")).scalar() == 1
        finally:
            engine.dispose()
