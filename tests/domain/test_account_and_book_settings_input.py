"""The account forms' and the appointment settings' field rules (domain/account_input.py,
domain/book_settings_input.py), without a database: what the desk's dialogs check as they are typed and
the services again on save."""
from __future__ import annotations

import pytest

from decomp_desk.domain.account_input import normalize_username, password_errors, validate_account
from decomp_desk.domain.book_settings_input import smtp_errors, validate_tables
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.types import Role


def test_an_account_is_cleaned_as_it_is_stored():
    assert normalize_username("  Ann.Lee ") == "ann.lee"
    assert validate_account(" Ann.Lee ", "  Ann   Lee ", ["clinician", Role.FRONT_DESK], "a long passphrase here") == (
        "ann.lee", "Ann Lee", frozenset({Role.CLINICIAN, Role.FRONT_DESK}))
    assert validate_account("ann", "", None, None) == ("ann", "", frozenset())  # roles, password: not being set


def test_every_bad_account_field_is_named_at_once():
    with pytest.raises(ValidationError) as e:
        validate_account("-ann lee", "x" * 201, [], "short")
    assert e.value.errors == {
        "username": "may hold letters, digits and . _ - @ (at most 80, starting with a letter or digit)",
        "full_name": "must be at most 200 characters",
        "roles": "choose at least one: administrator, clinician or front desk",
        "password": "must be at least 12 characters"}
    with pytest.raises(ValidationError, match="username: is required"):
        validate_account("   ", "", None, None)


def test_a_password_refusal_names_the_field_it_was_typed_in():
    assert password_errors("a long passphrase here", "ann") == {}
    assert list(password_errors("short", "ann", "new_password")) == ["new_password"]


def test_the_tables_need_names_each_its_own():
    assert validate_tables([" Table 1 ", "Table 2"]) == ["Table 1", "Table 2"]
    for names, why in ((["", " "], "name at least one table"), (["A", ""], "a table needs a name"),
                       (["Table 1", "table 1"], "two tables have the same name"),
                       (["x" * 61], "a table's name must be at most 60 characters")):
        with pytest.raises(ValidationError) as e:
            validate_tables(names)
        assert e.value.errors == {"tables": why}


def test_the_mail_server_address():
    assert smtp_errors("smtp.example.org", 587, "desk@example.org") == {}
    assert smtp_errors("", 587, "") == {}  # no reminders by e-mail
    assert smtp_errors("smtp example", 0, "desk") == {"smtp_host": "a server name has no spaces",
                                                     "smtp_port": "must be from 1 to 65535",
                                                     "smtp_sender": "must be an e-mail address"}
