"""Engine -> session factory -> services: the one wiring the desk and the command line share."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy.orm import sessionmaker

from decomp_desk.config import database_url
from decomp_desk.db.engine import make_engine
from decomp_desk.db.migrate import ensure_schema
from decomp_desk.services.context import Actor, ServiceContext, command_line_actor
from decomp_desk.services.courses import CourseService
from decomp_desk.services.patients import PatientService
from decomp_desk.services.screenings import ScreeningService
from decomp_desk.services.sessions import SessionService
from decomp_desk.services.settings import SettingsService


@dataclass
class Services:
    ctx: ServiceContext
    patients: PatientService
    screenings: ScreeningService
    courses: CourseService
    sessions: SessionService
    settings: SettingsService

    @property
    def url(self) -> str:
        return self.ctx.url

    def dispose(self) -> None:
        self.ctx.Session.kw["bind"].dispose()


def open_services(url: str | None = None, actor: Actor | None = None, *,
                  today: Callable[[], date] = date.today, migrate: bool = True) -> Services:
    url = database_url(url)
    engine = make_engine(url)
    if migrate:
        ensure_schema(engine)
    ctx = ServiceContext(sessionmaker(engine, expire_on_commit=False), actor or command_line_actor(), today, url)
    return Services(ctx=ctx, patients=PatientService(ctx), screenings=ScreeningService(ctx),
                    courses=CourseService(ctx), sessions=SessionService(ctx), settings=SettingsService(ctx))
