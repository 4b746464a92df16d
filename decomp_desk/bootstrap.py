"""Engine -> session factory -> services: the one wiring the desk and the command line share."""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import configure_mappers, sessionmaker

from decomp_desk.config import database_url
from decomp_desk.db.create import missing_sqlite_file, no_database_sentence
from decomp_desk.db.engine import load_driver as _load_driver
from decomp_desk.db.engine import make_engine
from decomp_desk.db.migrate import ensure_schema
from decomp_desk.services.accounts import AccountService
from decomp_desk.services.audit import AuditService
from decomp_desk.services.context import (
    Actor,
    DatabaseUnavailable,
    ServiceContext,
    command_line_actor,
    database_errors,
)
from decomp_desk.services.patients import PatientService
from decomp_desk.services.settings import SettingsService

if TYPE_CHECKING:
    from decomp_desk.services.appointments import AppointmentService
    from decomp_desk.services.billing import BillingService
    from decomp_desk.services.book_settings import BookSettingsService
    from decomp_desk.services.clinic_report import ClinicReportService
    from decomp_desk.services.courses import CourseService
    from decomp_desk.services.exporting import ExportService
    from decomp_desk.services.outcomes import OutcomeService
    from decomp_desk.services.reminders import ReminderService
    from decomp_desk.services.reporting import ReportService
    from decomp_desk.services.screenings import ScreeningService
    from decomp_desk.services.sessions import SessionService


@dataclass
class Services:
    ctx: ServiceContext
    patients: PatientService
    settings: SettingsService

    # Built from ctx, so open_services's list of services stays as it is.
    accounts: AccountService = field(init=False)
    audit: AuditService = field(init=False)

    def __post_init__(self) -> None:
        self.accounts = AccountService(self.ctx)
        self.audit = AuditService(self.ctx)

    def set_up_mappers(self) -> None:
        """What the ORM's first query in a process does first: set up every mapper (about 20 ms of
        Python). The desk has it done on the UI thread while the sign-in's password check runs on a
        worker, where that check leaves the interpreter free, rather than after the check."""
        configure_mappers()

    # Made when first used: the desk's start (the patient list, Today) needs none of these, and each
    # brings its own rules along (billing the money rules and the statement's page data; courses, sessions
    # and screenings the inputs they validate).
    @cached_property
    def screenings(self) -> ScreeningService:
        from decomp_desk.services.screenings import ScreeningService

        return ScreeningService(self.ctx)

    @cached_property
    def courses(self) -> CourseService:
        from decomp_desk.services.courses import CourseService

        return CourseService(self.ctx)

    @cached_property
    def sessions(self) -> SessionService:
        from decomp_desk.services.sessions import SessionService

        return SessionService(self.ctx)

    @cached_property
    def billing(self) -> BillingService:
        from decomp_desk.services.billing import BillingService

        return BillingService(self.ctx)

    @cached_property
    def reports(self) -> ReportService:
        from decomp_desk.services.reporting import ReportService

        return ReportService(self.ctx)

    @cached_property
    def exports(self) -> ExportService:
        from decomp_desk.services.exporting import ExportService

        return ExportService(self.ctx)

    @cached_property
    def outcomes(self) -> OutcomeService:
        from decomp_desk.services.outcomes import OutcomeService

        return OutcomeService(self.ctx)

    @cached_property
    def clinic_report(self) -> ClinicReportService:
        from decomp_desk.services.clinic_report import ClinicReportService

        return ClinicReportService(self.ctx)

    # The appointment book (services/appointments.py, book_settings.py, reminders.py).
    @cached_property
    def appointments(self) -> AppointmentService:
        from decomp_desk.services.appointments import AppointmentService

        return AppointmentService(self.ctx)

    @cached_property
    def book_settings(self) -> BookSettingsService:
        from decomp_desk.services.book_settings import BookSettingsService

        return BookSettingsService(self.ctx)

    @cached_property
    def reminders(self) -> ReminderService:
        from decomp_desk.services.reminders import ReminderService

        return ReminderService(self.ctx)

    @property
    def url(self) -> str:
        return self.ctx.url

    # The desk's view of who acts and what day it is: it never needs the context (and its sessionmaker).
    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    def today(self) -> date:
        return self.ctx.today()

    def capture(self):
        """A job's binding to whoever acts now (ServiceContext.capture)."""
        return self.ctx.capture()

    def act_as(self, actor: Actor) -> None:
        """Who saves from now on (after a login): every record and audit event is stamped with them."""
        self.ctx.actor = actor

    def dispose(self) -> None:
        self.ctx.Session.kw["bind"].dispose()


def open_services(url: str | None = None, actor: Actor | None = None, *,
                  today: Callable[[], date] = date.today, migrate: bool = True) -> Services:
    url = database_url(url)
    engine = open_engine(url, migrate)
    ctx = ServiceContext(sessionmaker(engine, expire_on_commit=False), actor or command_line_actor(), today, url)
    return Services(ctx=ctx, patients=PatientService(ctx), settings=SettingsService(ctx))


def load_driver(url: str | None = None) -> None:
    """The database's driver imported now, before the desk imports Qt (db/engine.py says why)."""
    _load_driver(database_url(url))


def open_engine(url: str, migrate: bool = True) -> Engine:
    """The engine, with the schema created or brought up to date. A missing, locked, read-only or damaged
    file, an unreachable server or a wrong address raises DatabaseUnavailable: a sentence, no traceback."""
    engine = None
    try:
        with database_errors():
            missing = missing_sqlite_file(url)
            if missing is not None:  # never a new, empty clinic by accident (db/create.py makes them on purpose)
                raise DatabaseUnavailable(no_database_sentence(missing))
            engine = make_engine(url)
            if migrate:
                ensure_schema(engine)
            return engine
    except Exception as e:
        if engine is not None:
            engine.dispose()
        if isinstance(e, DatabaseUnavailable):
            raise DatabaseUnavailable(str(e)) from None
        if isinstance(e, ArgumentError):
            raise DatabaseUnavailable("The database address is not one DecompDesk can use; give sqlite:///path/to/"
                                      "file.sqlite3 or postgresql+psycopg://user:password@host/database.") from None
        if isinstance(e, OSError):  # the file's folder cannot be created
            raise DatabaseUnavailable(f"The database folder cannot be created ({e.strerror or e}: {e.filename}); "
                                      "choose another place for the database.") from None
        alembic_errors = sys.modules.get("alembic.util.exc")  # imported only when migrating (db/migrate.py)
        if alembic_errors is not None and isinstance(e, alembic_errors.CommandError):  # an unknown revision
            raise DatabaseUnavailable("The database was made by a newer version of DecompDesk; install that "
                                      f"version to open it ({e}).") from None
        raise
