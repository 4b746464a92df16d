"""`decomp-desk create` and `decomp-desk encrypt`: a new clinic made on purpose, and a plain SQLite
database converted to an encrypted one (services/clinic_files.py)."""
from __future__ import annotations

import getpass
import sys

from decomp_desk.cli import command, read_passphrase_file
from decomp_desk.domain.errors import DomainError
from decomp_desk.services.clinic_files import (
    RECOMMENDED_PASSPHRASE_LENGTH,
    create_clinic,
    database_file,
    encrypt_database,
    needs_creating,
    no_database_sentence,
)


def recovery_passphrase(args, doing: str) -> str | None:
    """From --passphrase-file, else asked twice at a terminal; without either, None (said on stderr: the
    database then opens only for this user on this computer)."""
    given = read_passphrase_file(args)
    if given is None and sys.stdin.isatty():
        print(f"Choose the clinic's recovery passphrase ({doing}). It opens the database anywhere, e.g. on a new "
              "computer; keep it somewhere safe. Leave it empty for none.", file=sys.stderr)
        given = getpass.getpass("Recovery passphrase: ")
        if given and getpass.getpass("The same again: ") != given:
            raise DomainError("The two passphrases differ; nothing was changed.")
        given = given or None
    if given is None:
        print("No recovery passphrase was set (none given with --passphrase-file, and no terminal to ask at): the "
              "database opens only for this user on this computer, with the key kept in their configuration "
              "folder. Keep backups; set a passphrase by making the clinic with --passphrase-file.", file=sys.stderr)
    elif len(given) < RECOMMENDED_PASSPHRASE_LENGTH:
        print(f"The recovery passphrase is shorter than {RECOMMENDED_PASSPHRASE_LENGTH} characters; a longer one is "
              "much harder to guess for whoever gets a copy of the file.", file=sys.stderr)
    return given


@command("create", "make a new, empty clinic database (an encrypted file; a missing or empty file is never made "
                   "into a clinic by any other command)", uses_services=False)
def create(args) -> int:
    print(create_clinic(args.url, recovery_passphrase(args, "for the new database")))
    return 0


@command("encrypt", "convert a plain SQLite database into an encrypted one (the original is kept until the "
                    "encrypted copy verifies)", uses_services=False)
def encrypt(args) -> int:
    path = database_file(args.url)
    if path is not None and needs_creating(args.url):
        raise DomainError(no_database_sentence(path))
    print(encrypt_database(args.url, recovery_passphrase(args, "for the encrypted database")))
    return 0
