"""Declarative base, column types shared by the models, and the who/when bookkeeping mixin.

No `from __future__ import annotations` (see models.py): the mixin's `Mapped[...]` annotations are read
again for each of the eleven models that carry it, and as strings each was taken apart and evaluated."""

import enum
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Named constraints, so Alembic's batch mode on SQLite can find and alter them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stored as UTC; SQLite forgets the zone, so it is put back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Cents(TypeDecorator):
    """Money as a whole number of cents: exact on SQLite (which has no decimal type) and PostgreSQL."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        cents = Decimal(value) * 100
        if cents != cents.to_integral_value():
            raise ValueError(f"{value} has more than two decimals")
        return int(cents)

    def process_result_value(self, value, dialect):
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


class Tenths(TypeDecorator):
    """Forces and angles to a tenth (e.g. 85.5 lb), stored exactly as whole tenths."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else int((Decimal(value) * 10).to_integral_value())

    def process_result_value(self, value, dialect):
        return None if value is None else (Decimal(value) / 10).quantize(Decimal("0.1"))


class EnumText(TypeDecorator):
    """An enum stored as its value word (the import format's spelling), portable across databases."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum_cls: type[enum.Enum], *args, **kw):
        super().__init__(*args, **kw)
        self.enum_cls = enum_cls
        # Enum(value) is slow (about 1.5 us); a patient list of ten thousand rows reads one per row.
        self._members = {m.value: m for m in enum_cls}

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum_cls(value).value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        member = self._members.get(value)
        return member if member is not None else self.enum_cls(value)  # an unknown word raises, as before

    def result_processor(self, dialect, coltype):
        if self.impl_instance.result_processor(dialect, coltype) is not None:
            return super().result_processor(dialect, coltype)
        # The driver hands back plain strings: one dict lookup in C per value, no Python call.
        return _MemberLookup(self.enum_cls, self._members).__getitem__


class _MemberLookup(dict):
    """word -> enum member; None for None, and Enum(word) (which raises) for a word it does not know."""

    def __init__(self, enum_cls: type[enum.Enum], members: dict):
        super().__init__(members)
        self.enum_cls = enum_cls

    def __missing__(self, value):
        return None if value is None else self.enum_cls(value)


class EnumSet(TypeDecorator):
    """A set of enum members stored as 'a;b;c' in declaration order (as the import format lists them)."""

    impl = String(255)
    cache_ok = True

    def __init__(self, enum_cls: type[enum.Enum], *args, **kw):
        super().__init__(*args, **kw)
        self.enum_cls = enum_cls
        self._members = {m.value: m for m in enum_cls}

    def process_bind_param(self, value, dialect):
        if value is None:
            return ""
        members = {self.enum_cls(v) for v in value}
        return ";".join(m.value for m in self.enum_cls if m in members)

    def process_result_value(self, value, dialect):
        if not value:
            return frozenset()
        members = self._members
        return frozenset(members[v] if v in members else self.enum_cls(v) for v in value.split(";") if v)


class Tracked:
    """Who created and last changed a record, and when; `version` guards against silent overwrites."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        # Every UPDATE checks and bumps `version`; a stale one raises StaleDataError.
        return {"version_id_col": cls.__table__.c.version}
