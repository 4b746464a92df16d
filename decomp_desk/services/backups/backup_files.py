"""What a backup file is: an SQLite database, a PostgreSQL custom-format dump, or either one encrypted
with a passphrase; and the PostgreSQL tools that write and read the dumps."""
from __future__ import annotations

import base64
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy.engine import make_url

from decomp_desk.domain.errors import DomainError

# An encrypted backup of earlier versions (read only, for their restore; services/backups/backup_container.py
# writes today's): this line, a 16-byte random salt, then a Fernet token (AES-128-CBC + HMAC-SHA256)
# under a key derived from the passphrase by scrypt.
ENCRYPTED = b"DecompDesk encrypted backup v1\n"
SALT_BYTES = 16
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(DomainError):
    """A backup could not be made, or a file cannot be restored; nothing was changed."""


def _key(passphrase: str, salt: bytes) -> bytes:
    return base64.urlsafe_b64encode(Scrypt(salt=salt, length=32, n=2 ** 15, r=8, p=1).derive(passphrase.encode()))


def is_encrypted(head: bytes) -> bool:
    return head.startswith(ENCRYPTED)


def decrypt(blob: bytes, passphrase: str | None) -> bytes:
    if not passphrase:
        raise BackupError("This backup is encrypted; give its passphrase (--passphrase-file, or the environment "
                          "variable DECOMP_DESK_BACKUP_PASSPHRASE). Nothing was changed.")
    salt = blob[len(ENCRYPTED):len(ENCRYPTED) + SALT_BYTES]
    try:
        return Fernet(_key(passphrase, salt)).decrypt(blob[len(ENCRYPTED) + SALT_BYTES:])
    except InvalidToken:
        raise BackupError("The passphrase does not open this backup (or the file is damaged). Nothing was changed.") \
            from None


def kind_of(head: bytes) -> str | None:
    """'sqlite', 'postgresql' or None, from a file's first bytes."""
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    return None


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on the PATH, else the newest in Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if versions:
        return versions[-1]
    raise BackupError(f"{name} is not installed; install the PostgreSQL client programs to back up or restore a "
                      "PostgreSQL database.")


def run_pg_tool(name: str, url: str, *args: str) -> subprocess.CompletedProcess:
    """Run pg_dump / pg_restore against the database of an SQLAlchemy URL. The password goes by the
    environment, so it never shows in the list of running processes."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    target = u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    result = subprocess.run([pg_tool(name), f"--dbname={target}", *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result


def _pg_env_target(url: str) -> tuple[dict, str]:
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    return env, u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


@contextmanager
def pg_dump_stream(url: str) -> Iterator[Iterator[bytes]]:
    """pg_dump's custom-format dump as a stream of blocks, never a file on the disk; BackupError when
    pg_dump fails (a damaged table, a lost connection): then the partial backup is thrown away."""
    env, target = _pg_env_target(url)
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen([pg_tool("pg_dump"), f"--dbname={target}", "--format=custom"],
                                stdout=subprocess.PIPE, stderr=errors, env=env)

        def blocks() -> Iterator[bytes]:
            while block := proc.stdout.read(1 << 20):
                yield block
        try:
            yield blocks()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            proc.stdout.close()
        if proc.wait() != 0:
            errors.seek(0)
            raise BackupError(f"pg_dump failed: {errors.read().decode(errors='replace').strip()}; no backup was "
                              "written.")


def _feed(args: list[str], blocks: Iterable[bytes], env: dict | None = None) -> tuple[int, str, str]:
    """Run a PostgreSQL tool with `blocks` on its standard input (no file in between)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=out, stderr=err, env=env)
        try:
            for block in blocks:
                proc.stdin.write(block)
            proc.stdin.close()
        except BrokenPipeError:
            pass
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        code = proc.wait()
        out.seek(0)
        err.seek(0)
        return code, out.read().decode(errors="replace"), err.read().decode(errors="replace")


def pg_restore_stream(url: str, blocks: Iterable[bytes]) -> None:
    env, target = _pg_env_target(url)
    code, out, err = _feed([pg_tool("pg_restore"), f"--dbname={target}", "--clean", "--if-exists", "--no-owner",
                            "--no-privileges", "--single-transaction", "--exit-on-error"], blocks, env)
    if code != 0:
        raise BackupError(f"pg_restore failed: {err.strip() or out.strip()}")


def dump_tables_stream(blocks: Iterable[bytes]) -> set[str]:
    """The tables a custom-format dump holds, read from a stream; BackupError when it does not read."""
    code, out, err = _feed([pg_tool("pg_restore"), "--list"], blocks)
    if code != 0:
        raise BackupError(f"The file is not a readable PostgreSQL backup: {err.strip()} Nothing was changed.")
    return {line.split()[5] for line in out.splitlines()
            if not line.startswith(";") and len(line.split()) > 5 and line.split()[3] == "TABLE"}


def dump_tables(path: Path) -> set[str]:
    """The tables a custom-format dump holds; BackupError when pg_restore cannot read it."""
    result = subprocess.run([pg_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"The file is not a readable PostgreSQL backup: {result.stderr.strip()} Nothing was changed.")
    # e.g. "215; 1259 16390 TABLE public patients decomp"
    return {line.split()[5] for line in result.stdout.splitlines()
            if not line.startswith(";") and len(line.split()) > 5 and line.split()[3] == "TABLE"}
