"""The clinic's settings saved together with its ICD-10-CM short list (the Settings dialog's one write),
on SQLite and PostgreSQL: both or neither, every bad field named, a stale copy refused naming who saved."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from decomp_desk.domain.billing import DiagnosisCode
from decomp_desk.domain.errors import Conflict, PermissionDenied, ValidationError
from decomp_desk.domain.types import Region, Role
from decomp_desk.services import icd_codes
from tests.services.billing_helpers import audit_actions, services_as

NEW_CODE = DiagnosisCode("M51.17", "Intervertebral disc disorder with radiculopathy, lumbosacral region",
                         Region.LUMBAR)


def test_settings_and_codes_are_saved_in_one_go(services):
    current = services.settings.get()
    codes = services.billing.icd_codes(include_inactive=True)
    edited = [replace(c, active=False) if c.code == "M54.30" else c for c in codes] + [NEW_CODE]
    saved = services.settings.update(replace(current, name="  Riverside Spine ", address=" 1 Main St \n Springfield ",
                                             default_fee=D("95.00")), icd_codes=edited)
    assert (saved.name, saved.address, saved.default_fee) == ("Riverside Spine", "1 Main St\nSpringfield", D("95.00"))
    after = {c.code: c for c in services.billing.icd_codes(include_inactive=True)}
    assert after["M54.30"].active is False and after["M51.17"] == NEW_CODE
    assert [a for a, _, _ in audit_actions(services, "settings")] == ["update"]
    assert [a for a, _, _ in audit_actions(services, "icd_codes")] == ["update"]
    # Saving again with the list unchanged writes the settings only: no empty audit event for the list.
    services.settings.update(replace(saved, phone="555-0100"), icd_codes=list(after.values()))
    assert len(audit_actions(services, "icd_codes")) == 1


def test_a_bad_code_refuses_the_settings_too_and_names_every_field(services):
    current = services.settings.get()
    codes = services.billing.icd_codes(include_inactive=True)
    bad = codes + [DiagnosisCode("5116", "", Region.LUMBAR)]
    with pytest.raises(ValidationError) as err:
        services.settings.update(replace(current, name="", default_planned_sessions=0), icd_codes=bad)
    n = len(bad)
    assert set(err.value.errors) == {"name", "default_planned_sessions", f"row {n} code", f"row {n} description"}
    assert services.settings.get() == current
    assert services.billing.icd_codes(include_inactive=True) == codes


def test_when_the_list_cannot_be_written_the_settings_are_not_saved_either(services, monkeypatch):
    current = services.settings.get()

    def broken(ctx, s, clean):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(icd_codes, "write_icd_codes", broken)
    with pytest.raises(RuntimeError):
        services.settings.update(replace(current, name="Riverside"), icd_codes=[NEW_CODE])
    assert services.settings.get() == current


def test_texts_longer_than_the_columns_are_named_on_both_databases(services):
    current = services.settings.get()
    with pytest.raises(ValidationError) as err:
        services.settings.update(replace(current, name="N" * 201, address="A" * 401, phone="5" * 41, tax_id="T" * 41))
    assert err.value.errors == {"name": "must be at most 200 characters", "address": "must be at most 400 characters",
                                "phone": "must be at most 40 characters", "tax_id": "must be at most 40 characters"}


def test_a_code_list_saved_meanwhile_makes_an_open_copy_of_the_settings_stale(db_url, services):
    """Another administrator changed the list after this copy was read: saving the copy would put the
    old list back, so it is refused, naming who saved."""
    mine = services.settings.get()
    bea = services_as(db_url, Role.ADMINISTRATOR, username="bea")
    try:
        bea.billing.set_icd_codes(bea.billing.icd_codes() + [NEW_CODE])
    finally:
        bea.dispose()
    with pytest.raises(Conflict, match="changed by bea"):
        services.settings.update(replace(mine, name="Mine"), icd_codes=services.billing.icd_codes())
    assert "M51.17" in [c.code for c in services.billing.icd_codes()]


def test_only_an_administrator_saves_the_settings_with_the_list(db_url, services):
    current = services.settings.get()
    desk = services_as(db_url, Role.FRONT_DESK, Role.CLINICIAN, username="fay")
    try:
        with pytest.raises(PermissionDenied, match="Only an administrator may do this; Fay is not one"):
            desk.settings.update(replace(current, name="Fay's clinic"), icd_codes=[NEW_CODE])
    finally:
        desk.dispose()
    assert services.settings.get() == current
    assert "M51.17" not in [c.code for c in services.billing.icd_codes(include_inactive=True)]
