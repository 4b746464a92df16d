"""Backup and restore of the clinic's database, the embedded SQLite file or a PostgreSQL server (its check
is database_check.py's; the automatic daily backups and their verification daily_backups.py's).

A backup is consistent while the desk is in use (SQLite's online backup API; pg_dump's snapshot), made only
of a database that passes its integrity check, encrypted as it is written (under the database's own key,
or a backup passphrase), and carries its SHA-256 checksum (backup_container.py). A restore checks the
checksum and the content before anything is replaced, keeps the replaced database aside as the kind of
file it was, and brings the restored one up to this program's schema. Each backup and restore is
recorded in the audit trail (a restore in the restored database). verify_restorable restores a backup
into a scratch database and checks it, the live one untouched."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from decomp_desk.db import cipher, keystore
from decomp_desk.db.create import missing_or_empty, no_database_sentence
from decomp_desk.db.engine import is_sqlite, make_engine, sqlite_path
from decomp_desk.db.migrate import copy_sqlite, ensure_schema, knows_revision
from decomp_desk.domain.records import record
from decomp_desk.private_files import open_private, private_dir, private_temp_dir, restrict, write_private
from decomp_desk.services.backups.backup_container import (
    Backup,
    ContainerWriter,
    decrypt_records,
    encrypt_records,
    is_container,
    passphrase_header,
    passphrase_required,
    stream_key,
    verify,
)
from decomp_desk.services.backups.backup_files import (
    BackupError,
    decrypt,
    dump_tables_stream,
    is_encrypted,
    kind_of,
    pg_dump_stream,
    pg_restore_stream,
)
from decomp_desk.services.context import Actor, ServiceContext, command_line_actor

APP_TABLES = ("patients", "screenings", "courses", "treatment_sessions", "payments", "audit_events",
              "alembic_version")
KIND_NAMES = {"sqlite": "an SQLite", "postgresql": "a PostgreSQL"}
UNCHANGED = " Nothing was changed."


@record
class BackupReport:
    file: Path
    size: int
    encrypted: bool


@record
class RestoreReport:
    file: Path
    replaced_copy: Path | None  # the database as it was before the restore
    schema: str  # 'current', or 'upgraded' for a backup made by an older version


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def existing_sqlite(url: str) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise BackupError(f"{url} is not a database file.")
    if missing_or_empty(path):
        raise BackupError(no_database_sentence(path))
    return path


def sqlite_key(path: Path) -> bytes | None:
    return keystore.key_for(path) if cipher.encrypted_salt(path) else None


def integrity_problems(path: Path, key: bytes | None) -> list[str]:
    """SQLite's integrity check, read-only; a file that does not decrypt or read is a problem too."""
    try:
        con = cipher.connect(path, key, mode="ro")
        try:
            verdict = [row[0] for row in con.execute("PRAGMA integrity_check")]
        finally:
            con.close()
    except cipher.dbapi.DatabaseError as e:
        return [str(e)]
    return [] if verdict == ["ok"] else verdict


def backup(url: str, file: str | Path, passphrase: str | None = None, *, actor: Actor | None = None) -> BackupReport:
    """Write a consistent copy of the database to `file` (replaced whole only once complete, then checked
    against its checksum). A database that fails its integrity check is refused: a backup of it would
    only push the last good one out of the rotation."""
    file = Path(file)
    private_dir(file.parent)
    if passphrase is not None and not passphrase:
        raise BackupError("The backup passphrase is empty; give a passphrase, or none to write the backup unencrypted.")
    try:
        if is_sqlite(url):
            protection = _backup_sqlite(existing_sqlite(url), file, passphrase)
        else:
            protection = _backup_postgresql(url, file, passphrase)
    except OSError as e:
        raise BackupError(f"The backup could not be written to {file}: {e.strerror or e}.") from None
    report = BackupReport(file, file.stat().st_size, protection != "none")
    how = {"none": "", "database-key": ", encrypted with the database's key",
           "passphrase": ", encrypted with the backup passphrase"}[protection]
    _audit(url, actor, "backup", f"to {file} ({report.size} bytes{how})")
    return report


def _backup_sqlite(path: Path, file: Path, passphrase: str | None) -> str:
    key = sqlite_key(path)
    problems = integrity_problems(path, key)
    if problems:
        raise BackupError(f"The database {path} fails its integrity check ({'; '.join(problems[:3])}); no backup was "
                          "written, so the older backups stay as they are. Restore the newest good backup "
                          "(decomp-desk restore FILE).")
    source_salt = cipher.encrypted_salt(path)
    if passphrase:
        salt = cipher.new_salt()
        out_key, out_salt, protection = cipher.derive_key(passphrase, salt), salt, "passphrase"
    elif key is not None:
        out_key, out_salt, protection = key, source_salt, "database-key"
    else:
        out_key, out_salt, protection = None, None, "none"
    # The copy is made in a private folder beside the backup, already encrypted as SQLite writes it (the
    # backup API into an SQLCipher file): a kill at any moment leaves no plain copy of an encrypted clinic.
    with private_temp_dir(file.parent, prefix=".decomp-desk-backup-") as folder:
        payload = Path(folder) / "payload.sqlite3"
        write_private(payload, b"")
        src = cipher.connect(path, key, mode="rw")
        try:
            src.execute("PRAGMA busy_timeout=10000")
            if key is None and out_key is not None:
                _export_encrypted(src, payload, out_key, out_salt)
            else:
                dst = cipher.connect(payload, out_key, out_salt)
                try:
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dst.close()
        finally:
            src.close()
        writer = ContainerWriter(file, {"kind": "sqlite", "protection": protection, "kdf": cipher.KDF,
                                        "made": datetime.now().astimezone().isoformat(timespec="seconds")})
        try:
            writer.write_file(payload)
        except BaseException:
            writer.abort()
            raise
        writer.finish()
    return protection


def _export_encrypted(src, target: Path, key: bytes, salt: bytes | None) -> None:
    """A plain database copied into a new encrypted file (SQLCipher's export: the backup API cannot
    change a file's kind), in one read transaction, so the copy is consistent."""
    src.isolation_level = None
    pragma = f"x'{key.hex()}{salt.hex() if salt else ''}'"
    src.execute(f"ATTACH DATABASE '{str(target).replace(chr(39), chr(39) * 2)}' AS encrypted KEY \"{pragma}\"")
    cipher.tune_attached(src, "encrypted")
    try:
        src.execute("BEGIN")
        src.execute("SELECT sqlcipher_export('encrypted')")
        version = src.execute("PRAGMA main.user_version").fetchone()[0]
        src.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        src.execute("COMMIT")
    finally:
        src.execute("DETACH DATABASE encrypted")


def _backup_postgresql(url: str, file: Path, passphrase: str | None) -> str:
    made = datetime.now().astimezone().isoformat(timespec="seconds")
    if passphrase:
        header, key = passphrase_header("postgresql", passphrase)
    else:
        header, key = {"kind": "postgresql", "protection": "none"}, None
    header["made"] = made
    writer = ContainerWriter(file, header)
    try:
        with pg_dump_stream(url) as blocks:
            records = blocks if key is None else encrypt_records(blocks, key, bytes.fromhex(header["nonce_prefix"]))
            for record in records:
                writer.write(record)
    except BaseException:
        writer.abort()
        raise
    writer.finish()
    return header["protection"]


def restore(url: str, file: str | Path, passphrase: str | None = None, *, actor: Actor | None = None,
            aside_folder: Path | None = None) -> RestoreReport:
    """Replace the database with a backup, once the backup has proved sound (its checksum first). The
    replaced database is kept: an SQLite file beside itself, as the same kind of file it was (an
    encrypted one encrypted); a PostgreSQL database as a backup file in `aside_folder` (by default the
    backup's folder), encrypted with the passphrase when the restored backup was."""
    file = Path(file)
    wanted = "sqlite" if is_sqlite(url) else "postgresql"
    head = _head(file)
    if not is_container(head):
        return _restore_legacy(url, file, passphrase, actor, aside_folder)
    b = verify_backup_file(file)
    _check_kind(file, b.kind, wanted)
    if wanted == "sqlite":
        target = _restore_target(url)
        private_dir(target.parent)
        with private_temp_dir(target.parent, prefix=".decomp-desk-restore-") as folder:
            candidate = Path(folder) / "candidate.sqlite3"
            key = _unpack_sqlite(b, candidate, file.name, passphrase)
            replaced = _replace_sqlite(url, candidate, key, Path(folder))
    else:
        key = stream_key(b.header, passphrase) if b.protection == "passphrase" else None
        _verify_dump_stream(_payload(b, key), file.name)
        aside = _pg_aside(url, aside_folder or file.parent, passphrase if key is not None else None)
        pg_restore_stream(url, _payload(b, key))
        replaced = aside
    return _after_restore(url, file, replaced, actor)


def _head(file: Path) -> bytes:
    try:
        with open(file, "rb") as f:
            return f.read(64)
    except OSError as e:
        raise BackupError(f"The backup {file} cannot be read: {e.strerror or e}.{UNCHANGED}") from None


def verify_backup_file(file: Path) -> Backup:
    return verify(file)


def _payload(b: Backup, key: bytes | None):
    if key is None:
        return b.chunks()
    return decrypt_records(b.chunks(), key, bytes.fromhex(b.header["nonce_prefix"]), b.file.name)


def _unpack_sqlite(b: Backup, path: Path, name: str, passphrase: str | None) -> bytes | None:
    """The backup's SQLite payload written to `path` (owner-only) and checked whole; its key."""
    with open_private(path) as out:
        for block in b.chunks():
            out.write(block)
    key = _candidate_key(b, path, passphrase)
    _verify_sqlite(path, name, key)
    return key


def _candidate_key(b: Backup, candidate: Path, passphrase: str | None) -> bytes | None:
    """The key of the restored SQLite payload: derived from the backup passphrase, or the database's own
    (kept for this user, or from the recovery passphrase given)."""
    if b.protection == "none":
        return None
    salt = cipher.encrypted_salt(candidate)
    if salt is None:
        raise BackupError(f"{b.file.name} is damaged: it should be encrypted and is not.{UNCHANGED}")
    if b.protection == "passphrase":
        key = cipher.derive_key(passphrase_required(passphrase), salt, b.header.get("kdf"))
        if not cipher.key_opens(candidate, key):
            raise BackupError(f"The passphrase does not open {b.file.name}.{UNCHANGED}")
        return key
    try:
        return keystore.key_for(candidate)
    except cipher.DatabaseKeyError:
        raise BackupError(f"{b.file.name} is encrypted with its database's key, which this user does not hold; give "
                          f"the clinic's recovery passphrase with --passphrase-file FILE.{UNCHANGED}") from None


def _after_restore(url: str, file: Path, replaced: Path | None, actor: Actor | None) -> RestoreReport:
    engine = make_engine(url)
    try:
        schema = ensure_schema(engine)
    finally:
        engine.dispose()
    # Recorded in the restored database itself: its trail then says where its present state came from.
    _audit(url, actor, "restore", f"from {file}" + (f"; the database before is kept at {replaced}" if replaced else ""))
    return RestoreReport(file, replaced, schema)


def _check_kind(file: Path, kind: str | None, wanted: str) -> None:
    """A backup restores only into a database of its own kind (either format of backup)."""
    if kind not in KIND_NAMES:
        raise BackupError(f"{file.name} is not a DecompDesk backup.{UNCHANGED}")
    if kind != wanted:
        raise BackupError(f"{file.name} is a backup of {KIND_NAMES[kind]} database; it cannot be restored into "
                          f"{KIND_NAMES[wanted]} database.{UNCHANGED}")


def _restore_target(url: str) -> Path:
    target = sqlite_path(url)
    if target is None:
        raise BackupError(f"{url} is not a database file; a backup can only be restored into a file.")
    return target


def _restore_legacy(url: str, file: Path, passphrase: str | None, actor: Actor | None,
                    aside_folder: Path | None) -> RestoreReport:
    """A backup written by an earlier version (no checksum): a bare SQLite file or dump, or one encrypted
    whole with a passphrase; checked as well as its kind allows."""
    try:
        data = file.read_bytes()
    except OSError as e:
        raise BackupError(f"The backup {file} cannot be read: {e.strerror or e}.{UNCHANGED}") from None
    if is_encrypted(data):
        data = decrypt(data, passphrase)
    kind, wanted = kind_of(data[:16]), "sqlite" if is_sqlite(url) else "postgresql"
    _check_kind(file, kind, wanted)
    if kind == "sqlite":
        target = _restore_target(url)
        private_dir(target.parent)
        with private_temp_dir(target.parent, prefix=".decomp-desk-restore-") as folder:
            candidate = Path(folder) / "candidate.sqlite3"
            write_private(candidate, data)
            _verify_sqlite(candidate, file.name, None)
            replaced = _replace_sqlite(url, candidate, None, Path(folder))
    else:
        _verify_dump_stream(iter([data]), file.name)
        replaced = _pg_aside(url, aside_folder or file.parent, passphrase if is_encrypted(file.read_bytes()[:64])
                             else None)
        pg_restore_stream(url, iter([data]))
    return _after_restore(url, file, replaced, actor)


def _verify_sqlite(candidate: Path, name: str, key: bytes | None) -> None:
    try:
        con = cipher.connect(candidate, key, mode="ro")
        try:
            verdict = [row[0] for row in con.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (con.execute("SELECT version_num FROM alembic_version").fetchone() or [None])[0] \
                if "alembic_version" in tables else None
        finally:
            con.close()
    except cipher.dbapi.DatabaseError as e:
        raise BackupError(f"{name} is damaged ({e}).{UNCHANGED}") from None
    if verdict != ["ok"]:
        raise BackupError(f"{name} is damaged (integrity check: {'; '.join(verdict[:3])}).{UNCHANGED}")
    missing = [t for t in APP_TABLES if t not in tables]
    if missing:
        raise BackupError(f"{name} is an SQLite database but not a DecompDesk one (it has no {', '.join(missing)})."
                          f"{UNCHANGED}")
    if revision is None or not knows_revision(revision):
        raise BackupError(f"{name} was made by a newer version of DecompDesk (schema {revision}); install that "
                          f"version to restore it.{UNCHANGED}")


def _verify_dump_stream(blocks, name: str) -> None:
    tables = dump_tables_stream(blocks)
    missing = [t for t in APP_TABLES if t not in tables]
    if missing:
        raise BackupError(f"{name} is a PostgreSQL backup but not of a DecompDesk database (it has no "
                          f"{', '.join(missing)}).{UNCHANGED}")


def _replace_sqlite(url: str, candidate: Path, key: bytes | None, scratch: Path) -> Path | None:
    """The verified candidate becomes the database. The database as it was is copied aside first, the
    same kind of file it was (an encrypted one stays encrypted, under its own key)."""
    target = sqlite_path(url)
    if missing_or_empty(target):
        # Nothing to keep: the candidate (encrypted as the backup was) becomes the file; its key is kept
        # for this user so that it opens without the passphrase from now on.
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(candidate, target)
        restrict(target)
        if key is not None:
            keystore.remember(cipher.encrypted_salt(target), key, target)
        return None
    aside = target.with_name(f"{target.stem}.replaced-{_stamp()}.sqlite3")
    copy_sqlite(target, aside)
    target_key = sqlite_key(target)
    if target_key is not None and key is None:
        # A plain backup into an encrypted database: first made an encrypted copy under the database's own
        # key (the backup API copies only between files of the same kind).
        converted = scratch / "converted.sqlite3"
        write_private(converted, b"")
        src = cipher.connect(candidate, None)
        try:
            _export_encrypted(src, converted, target_key, None)
        finally:
            src.close()
        candidate, key = converted, target_key
    if target_key is None and key is not None:
        # An encrypted backup into a plain database: the restored database is encrypted (the replaced
        # plain one is kept aside as it was); the file is swapped whole.
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(candidate, target)
        restrict(target)
        keystore.remember(cipher.encrypted_salt(target), key, target)
        return aside
    # Through the backup API, not a file rename: a desk with the file open sees the restored database
    # on its next read, and the live file's WAL is never left pointing at pages that are gone.
    src = cipher.connect(candidate, key, mode="ro")
    try:
        dst = cipher.connect(target, target_key, mode="rw", timeout=10)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return aside


def _pg_aside(url: str, folder: Path, passphrase: str | None) -> Path:
    """The PostgreSQL database as it is, kept as a backup file (checksummed; encrypted as it streams when
    the restore came with a passphrase): never a plain dump left beside an encrypted backup."""
    private_dir(folder)
    aside = folder / f"{make_url(url).database}.replaced-{_stamp()}.backup"
    _backup_postgresql(url, aside, passphrase)
    return aside


def _audit(url: str, actor: Actor | None, action: str, detail: str) -> None:
    engine = make_engine(url)
    try:
        ctx = ServiceContext(sessionmaker(engine), actor or command_line_actor(), url=url)
        with ctx.unit_of_work() as s:
            ctx.audit(s, action, "database", None, "", detail)
    finally:
        engine.dispose()


@record
class VerificationReport:
    file: Path
    patients: int | None
    sessions: int | None

    def sentence(self) -> str:
        counts = "" if self.patients is None else f": {self.patients} patients, {self.sessions} sessions"
        return f"The newest backup, {self.file.name}, was restored into a scratch database and checked{counts}."


def verify_restorable(file: Path, passphrase: str | None = None) -> VerificationReport:
    """Restore `file` into a scratch database (SQLite: a private temporary file, as encrypted as the
    backup; PostgreSQL: the dump read through and listed) and check it; the live database is untouched."""
    file = Path(file)
    if not is_container(_head(file)):
        raise BackupError(f"{file.name} was written by an earlier version, without a checksum; make a new backup.")
    b = verify_backup_file(file)
    if b.kind == "postgresql":
        key = stream_key(b.header, passphrase) if b.protection == "passphrase" else None
        _verify_dump_stream(_payload(b, key), file.name)
        return VerificationReport(file, None, None)
    with private_temp_dir(prefix="decomp-desk-verify-") as folder:
        scratch = Path(folder) / "scratch.sqlite3"
        key = _unpack_sqlite(b, scratch, file.name, passphrase)
        con = cipher.connect(scratch, key, mode="ro")
        try:
            patients = con.execute("SELECT count(*) FROM patients").fetchone()[0]
            sessions = con.execute("SELECT count(*) FROM treatment_sessions").fetchone()[0]
        finally:
            con.close()
    return VerificationReport(file, patients, sessions)
