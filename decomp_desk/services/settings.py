"""The clinic's letterhead and defaults."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, replace
from typing import TYPE_CHECKING

from sqlalchemy import select

from decomp_desk.db import models as m
from decomp_desk.db.repositories import check_version, settings_row
from decomp_desk.domain.addresses import address_errors
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import validate_fee
from decomp_desk.domain.op_changes import Changes, with_changes
from decomp_desk.domain.types import Role
from decomp_desk.services import dto
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.row_mapping import settings_view

if TYPE_CHECKING:
    from decomp_desk.domain.billing import DiagnosisCode

PROCEDURE_CODES = {"S9090": "HCPCS S9090 vertebral axial decompression, per session",
                   "97012": "CPT 97012 mechanical traction",
                   "97799": "CPT 97799 unlisted physical medicine procedure (with report)"}
PAPER_SIZES = ("letter", "a4")
# The columns' lengths: PostgreSQL refuses a longer text, SQLite would keep it; both are told the same.
TEXT_LIMITS = {"name": 200, "address": 400, "phone": 40, "tax_id": 40, "city": 100, "state": 40, "zip_code": 12}


class SettingsService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def get(self) -> dto.ClinicSettingsView:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return settings_view(settings_row(s))

    def is_new_database(self) -> bool:
        """No clinic name yet: the desk asks for one (and offers the demo clinic). Asked before anyone
        signs in: it tells nothing of the clinic's records but whether there are any."""
        with self.ctx.read() as s:
            named = s.scalar(select(m.ClinicSettings.name).where(m.ClinicSettings.id == 1))
            has_patients = s.scalar(select(m.Patient.id).limit(1)) is not None
        return not named and not has_patients

    def update(self, new: dto.ClinicSettingsView,
               icd_codes: Iterable[DiagnosisCode] | None = None) -> dto.ClinicSettingsView:
        """Save the settings (administrator), refused when someone saved them since `new.version` was read.
        With `icd_codes`, the clinic's ICD-10-CM short list is replaced in the same transaction (as
        BillingService.set_icd_codes does): both are saved, or neither, and every bad field of both is
        named at once ("row 3 code" for the list)."""
        self.ctx.require(Role.ADMINISTRATOR)
        errors = settings_errors(new)
        clean = None
        if icd_codes is not None:
            # Imported here: the desk's start reads the settings but never needs the billing rules.
            from decomp_desk.domain.billing import validate_icd_codes
            from decomp_desk.services.icd_codes import write_icd_codes

            try:
                clean = validate_icd_codes(icd_codes)
            except ValidationError as e:
                errors.update(e.errors)
        if errors:
            raise ValidationError(errors)
        with self.ctx.unit_of_work() as s:
            row = settings_row(s)
            check_version(row, new.version, "The clinic settings")
            for key, value in asdict(clean_settings(new)).items():
                if key not in ("version", "changes"):
                    setattr(row, key, value)
            self.ctx.stamp(row)
            s.flush()
            self.ctx.audit(s, "update", "settings", 1)
            if clean is not None:
                write_icd_codes(self.ctx, s, clean)
            return with_changes(settings_view(row), Changes(settings=True))


def clean_settings(new: dto.ClinicSettingsView) -> dto.ClinicSettingsView:
    """The settings as stored: the one-line texts trimmed, the address's lines trimmed."""
    address = "\n".join(line.strip() for line in new.address.strip().splitlines())
    return replace(new, name=new.name.strip(), address=address, phone=new.phone.strip(), tax_id=new.tax_id.strip(),
                   city=new.city.strip(), state=new.state.strip(), zip_code=new.zip_code.strip())


def settings_errors(new: dto.ClinicSettingsView) -> dict[str, str]:
    """{field: what is wrong} for settings about to be saved (the desk's form checks the same as it is typed)."""
    errors: dict[str, str] = {}
    clean = clean_settings(new)
    if not clean.name:
        errors["name"] = "is required"
    for key, limit in TEXT_LIMITS.items():
        if len(getattr(clean, key)) > limit:
            errors[key] = f"must be at most {limit} characters"
    errors.update({k: v for k, v in address_errors(clean.city, clean.state, clean.zip_code).items()
                   if k not in errors})
    try:
        validate_fee("default_fee", new.default_fee)
    except ValidationError as e:
        errors.update(e.errors)
    if not 1 <= new.default_planned_sessions <= 200:
        errors["default_planned_sessions"] = "must be from 1 to 200"
    if new.procedure_code not in PROCEDURE_CODES:
        errors["procedure_code"] = "must be one of " + ", ".join(PROCEDURE_CODES)
    if new.paper_size not in PAPER_SIZES:
        errors["paper_size"] = "must be letter or a4"
    if not 1 <= new.idle_lock_minutes <= 240:
        errors["idle_lock_minutes"] = "must be from 1 to 240"
    if not 1 <= new.backup_retention <= 365:
        errors["backup_retention"] = "must be from 1 to 365"
    return errors
