"""Writing the clinic's ICD-10-CM short list, shared by billing (the list alone) and the settings (the
list saved together with the rest of the settings, in one transaction)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.repositories import settings_row
from decomp_desk.domain.billing import DiagnosisCode
from decomp_desk.services.context import ServiceContext


def write_icd_codes(ctx: ServiceContext, s: Session, clean: list[DiagnosisCode]) -> None:
    """Replace the short list with `clean` (already validated). A code left out is kept but marked
    inactive, so a course that carries it still prints its description; giving it again makes it active.

    The list belongs to the clinic's settings: a change to it also stamps the settings row, which bumps
    its version. A Settings dialog opened before the change is then refused with the name of who made
    it, instead of silently putting the old list back."""
    by_code = {c.code: c for c in clean}
    rows = {r.code: r for r in s.scalars(select(m.IcdCode))}
    before = {code: (r.description, r.region, r.active) for code, r in rows.items()}
    for code, row in rows.items():
        if code not in by_code:
            row.active = False
    for code, c in by_code.items():
        row = rows.get(code) or m.IcdCode(code=code)
        row.description, row.region, row.active = c.description, c.region, c.active
        s.add(row)
    after = {code: (r.description, r.region, r.active) for code, r in rows.items()}
    after.update({code: (c.description, c.region, c.active) for code, c in by_code.items()})
    if after == before:
        return  # the settings saved with the list unchanged: no version bump, no audit event
    settings = settings_row(s)
    ctx.stamp(settings)
    settings.updated_at = ctx.now()  # a change even when the same person saved last, so the version moves
    s.flush()
    ctx.audit(s, "update", "icd_codes", None, "", ";".join(code for code, c in by_code.items() if c.active))
