"""The backup file (version 2): what it holds, its SHA-256 checksum, and encryption as it streams.

    DecompDesk backup v2\\n
    {"kind": ..., "protection": ..., ...}\\n          one line of JSON: what the payload is
    payload                                          an SQLite database file, or a pg_dump custom-format dump
    \\nsha256:<64 hex digits>\\n                       of everything before it

`protection` is "none" (a plain copy of a plain database), "database-key" (an SQLite payload encrypted
with the database's own key and salt: the key kept for the user, or the clinic's recovery passphrase,
opens it) or "passphrase" (encrypted with a key derived from the backup passphrase by scrypt, N = 2^17:
an SQLite payload is then an SQLCipher file; a PostgreSQL dump is AES-256-GCM in 1 MiB records, each
authenticated, the last one marked so that a cut file is refused). The checksum is written as the file
is, checked again once it is complete, and checked before any restore: one flipped bit is refused."""
from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from decomp_desk.db import cipher
from decomp_desk.private_files import open_private
from decomp_desk.services.backups.backup_files import BackupError

MAGIC = b"DecompDesk backup v2\n"
TRAILER_PREFIX = b"\nsha256:"
TRAILER_LEN = len(TRAILER_PREFIX) + 64 + 1
CHUNK = 1 << 20
UNCHANGED = " Nothing was changed."


def is_container(head: bytes) -> bool:
    return head.startswith(MAGIC)


class ContainerWriter:
    """Writes `file` under a temporary name, 0600; `finish` adds the checksum, renames it into place and
    checks it again from the disk."""

    def __init__(self, file: Path, header: dict):
        self.file = Path(file)
        self.partial = self.file.with_name(f".{self.file.name}.partial")
        self._hash = hashlib.sha256()
        self._f: BinaryIO = open_private(self.partial)
        self.write(MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n")

    def write(self, data: bytes) -> None:
        self._hash.update(data)
        self._f.write(data)

    def write_file(self, path: Path) -> None:
        with open(path, "rb") as f:
            while block := f.read(CHUNK):
                self.write(block)

    def finish(self) -> str:
        digest = self._hash.hexdigest()
        self._f.write(TRAILER_PREFIX + digest.encode() + b"\n")
        self._f.flush()
        os.fsync(self._f.fileno())
        self._f.close()
        os.replace(self.partial, self.file)
        if verify(self.file).sha256 != digest:
            raise BackupError(f"The backup {self.file} did not read back as it was written (the disk may be "
                              "failing); write it somewhere else.")
        return digest

    def abort(self) -> None:
        if not self._f.closed:
            self._f.close()
        self.partial.unlink(missing_ok=True)


class Backup:
    """A verified container: its header, and where its payload lies."""

    def __init__(self, file: Path, header: dict, start: int, end: int, sha256: str):
        self.file, self.header, self.start, self.end, self.sha256 = file, header, start, end, sha256

    @property
    def kind(self) -> str:
        return self.header.get("kind", "")

    @property
    def protection(self) -> str:
        return self.header.get("protection", "none")

    def chunks(self) -> Iterator[bytes]:
        with open(self.file, "rb") as f:
            f.seek(self.start)
            left = self.end - self.start
            while left > 0:
                block = f.read(min(CHUNK, left))
                if not block:
                    raise BackupError(f"The backup {self.file.name} ended early.{UNCHANGED}")
                left -= len(block)
                yield block

    def head(self, n: int = 16) -> bytes:
        with open(self.file, "rb") as f:
            f.seek(self.start)
            return f.read(min(n, self.end - self.start))


def verify(file: Path) -> Backup:
    """The checksum over the whole file, before anything else reads it. BackupError: a sentence."""
    file = Path(file)
    name = file.name
    try:
        size = file.stat().st_size
        with open(file, "rb") as f:
            head = f.read(len(MAGIC))
            if head != MAGIC:
                raise BackupError(f"{name} is not a DecompDesk backup.{UNCHANGED}")
            header_line = f.readline(64 * 1024)
            if size < len(MAGIC) + len(header_line) + TRAILER_LEN or not header_line.endswith(b"\n"):
                raise BackupError(f"{name} is damaged: it is cut short.{UNCHANGED}")
            h = hashlib.sha256(MAGIC + header_line)
            left = size - TRAILER_LEN - f.tell()
            while left > 0:
                block = f.read(min(CHUNK, left))
                if not block:
                    break
                h.update(block)
                left -= len(block)
            trailer = f.read()
    except OSError as e:
        raise BackupError(f"The backup {file} cannot be read: {e.strerror or e}.{UNCHANGED}") from None
    if not trailer.startswith(TRAILER_PREFIX) or len(trailer) != TRAILER_LEN:
        raise BackupError(f"{name} is damaged: its checksum is missing or cut short.{UNCHANGED}")
    if trailer[len(TRAILER_PREFIX):-1].decode("ascii", "replace") != h.hexdigest():
        raise BackupError(f"{name} is damaged: its content does not match its SHA-256 checksum (a changed or "
                          f"corrupted byte).{UNCHANGED}")
    try:
        header = json.loads(header_line)
    except ValueError:
        raise BackupError(f"{name} is damaged: its header does not read.{UNCHANGED}") from None
    start = len(MAGIC) + len(header_line)
    return Backup(file, header, start, size - TRAILER_LEN, h.hexdigest())


# --- a PostgreSQL dump, encrypted as it streams -----------------------------------------------------------

def passphrase_header(kind: str, passphrase: str) -> tuple[dict, bytes]:
    """The header of a passphrase-protected dump, and its key (scrypt over a new salt)."""
    salt = cipher.new_salt()
    header = {"kind": kind, "protection": "passphrase", "salt": salt.hex(), "kdf": cipher.KDF,
              "nonce_prefix": os.urandom(4).hex(), "cipher": "AES-256-GCM, 1 MiB records"}
    return header, cipher.derive_key(passphrase, salt)


def stream_key(header: dict, passphrase: str | None) -> bytes:
    return cipher.derive_key(passphrase_required(passphrase), bytes.fromhex(header["salt"]), header.get("kdf"))


def passphrase_required(passphrase: str | None) -> str:
    if not passphrase:
        raise BackupError("This backup is encrypted; give its passphrase (--passphrase-file, or the environment "
                          f"variable DECOMP_DESK_BACKUP_PASSPHRASE).{UNCHANGED}")
    return passphrase


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">Q", index)


def encrypt_records(blocks: Iterable[bytes], key: bytes, prefix: bytes) -> Iterator[bytes]:
    """Each block as one record (4-byte length, then ciphertext and tag); the last one's associated data
    says it is the last."""
    aead = AESGCM(key)
    index, pending = 0, None
    for block in blocks:
        if pending is not None:
            sealed = aead.encrypt(_nonce(prefix, index), pending, b"more")
            yield struct.pack(">I", len(sealed)) + sealed
            index += 1
        pending = block
    sealed = aead.encrypt(_nonce(prefix, index), pending or b"", b"last")
    yield struct.pack(">I", len(sealed)) + sealed


def decrypt_records(chunks: Iterable[bytes], key: bytes, prefix: bytes, name: str) -> Iterator[bytes]:
    aead = AESGCM(key)
    buffer, index, finished = b"", 0, False
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= 4:
            n = struct.unpack(">I", buffer[:4])[0]
            if len(buffer) < 4 + n:
                break
            record, buffer = buffer[4:4 + n], buffer[4 + n:]
            if finished:
                raise BackupError(f"{name} is damaged: it goes on after its last record.{UNCHANGED}")
            for aad in (b"more", b"last"):
                try:
                    plain = aead.decrypt(_nonce(prefix, index), record, aad)
                    finished = aad == b"last"
                    break
                except InvalidTag:
                    continue
            else:
                raise BackupError(f"The passphrase does not open {name} (or the file is damaged).{UNCHANGED}")
            index += 1
            yield plain
    if buffer or not finished:
        raise BackupError(f"{name} is damaged: it is cut short.{UNCHANGED}")
