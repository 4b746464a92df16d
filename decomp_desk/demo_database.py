"""The demo clinic lives in a database of its own, never in a clinic's: made-up patients and the demo's
letterhead and tax id must never reach a real clinic's records or its printed statements.

The desk's first start offers it beside naming the clinic; choosing it opens this file (made and filled
the first time) and leaves the clinic's own database as new as it was."""
from __future__ import annotations

from decomp_desk.bootstrap import Services, open_services
from decomp_desk.config import data_dir

DEMO_FILE = "decomp-desk-demo.sqlite3"


def demo_database_url() -> str:
    """The demo clinic's own embedded database, in the user's data folder."""
    return f"sqlite:///{data_dir() / DEMO_FILE}"


def is_demo_database(url: str) -> bool:
    return url == demo_database_url()


def open_demo_clinic() -> Services:
    """The services on the demo clinic's database, made and filled with the demo clinic the first time.
    They act as no one until someone signs in (the caller does that, as for any database)."""
    from decomp_desk.services.clinic_files import create_clinic, needs_creating
    from decomp_desk.services.demo.loading import load_demo  # only when the demo is asked for

    url = demo_database_url()
    if needs_creating(url):  # made on purpose, as every clinic is; made-up data needs no recovery passphrase
        create_clinic(url, None)
    services = open_services(url)  # as the command line acts: the set-up has no user yet
    try:
        if not services.patients.list(include_archived=True):
            load_demo(services)
    except BaseException:
        services.dispose()
        raise
    return services
