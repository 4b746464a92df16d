"""`decomp-desk add-user`: a desk account made from the command line.

This is how a database with records but no accounts gets its administrator (the desk refuses to hand
administration to whoever opens it first), and how a script adds staff. Whoever can run the command
line on this computer can already read the database file, so the command acts with every role, as the
operating-system user, and is in the audit trail under that name. The password comes from a file
(`--password-file`, its first line) or is asked for twice at a terminal; never from the command line
itself, where other users of the computer could see it."""
from __future__ import annotations

import getpass
import sys

from decomp_desk.bootstrap import Services
from decomp_desk.cli import arg, command
from decomp_desk.domain.errors import ValidationError

ROLE_CHOICES = ("administrator", "clinician", "front_desk")


def _password(args) -> str:
    if args.password_file:
        with open(args.password_file, encoding="utf-8") as f:
            return f.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError.single("password", "is required: give --password-file FILE, or run this at a terminal "
                                                 "to be asked for it")
    first = getpass.getpass(f"Password for {args.username}: ")
    if getpass.getpass("The same password again: ") != first:
        raise ValidationError.single("password", "was not typed the same twice; nothing was changed")
    return first


@command("add-user", "add a desk account: the first administrator of a database that has records but no accounts, "
                     "or anyone else",
         arg("username", metavar="USERNAME"),
         arg("--full-name", default="", metavar="NAME", help="the person's name as the desk shows it"),
         arg("--role", action="append", required=True, choices=ROLE_CHOICES,
             help="a role; give --role again for several (e.g. --role administrator --role clinician)"),
         arg("--password-file", metavar="FILE", help="read the password from the first line of FILE "
                                                    "(else it is asked for at the terminal)"))
def add_user(args, services: Services) -> int:
    user = services.accounts.create_user(args.username, args.full_name, args.role, _password(args))
    print(f"Added the account {user.username} ({user.roles_text}). They sign in at the desk with that password.")
    return 0
