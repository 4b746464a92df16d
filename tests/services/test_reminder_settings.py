"""The reminders' SMTP settings: the password is stored encrypted, with its key outside the database,
and the settings' "send a test message" goes through a real SMTP server (aiosmtpd)."""
import os
import stat

import pytest
from sqlalchemy import text

from decomp_desk.db.engine import make_engine
from decomp_desk.domain.errors import DomainError, ValidationError
from decomp_desk.services.book_settings import KEEP
from tests.smtp_sink import smtp_sink


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def test_the_password_is_encrypted_in_the_database_and_kept_when_not_retyped(services, db_url, tmp_path):
    services.book_settings.set_smtp("mail.example.com", 587, True, "clinic", "desk@example.com", "s3cret-pass")
    engine = make_engine(db_url)  # the encrypted SQLite file opens with its key
    with engine.connect() as c:
        stored = c.execute(text("SELECT smtp_password_encrypted FROM book_settings")).scalar()
    engine.dispose()
    assert stored and "s3cret-pass" not in stored
    assert services.book_settings.smtp_server().password == "s3cret-pass"
    view = services.book_settings.set_smtp("mail.example.com", 2525, False, "clinic", "desk@example.com", KEEP)
    assert view.smtp_password_set and view.smtp_port == 2525
    assert services.book_settings.smtp_server().password == "s3cret-pass"
    key = next((tmp_path / "data").rglob("smtp-password.key"))
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    key.unlink()  # another workstation, without the key: told to enter the password again
    with pytest.raises(DomainError, match="enter it again"):
        services.book_settings.smtp_server()


def test_bad_smtp_settings_name_the_field(services):
    with pytest.raises(ValidationError) as e:
        services.book_settings.set_smtp("mail example", 0, True, "", "not-an-address")
    assert set(e.value.errors) == {"smtp_host", "smtp_port", "smtp_sender"}


def test_send_a_test_message_through_the_settings_server(services):
    with smtp_sink() as (sink, port):
        services.book_settings.set_smtp("127.0.0.1", port, False, "", "desk@example.com", "")
        assert services.reminders.send_test("owner@example.com") == "A test message was sent to owner@example.com."
        [message] = sink.messages
        assert message["To"] == "owner@example.com" and "desk@example.com" in message["From"]
        with pytest.raises(DomainError, match="550"):
            services.reminders.send_test("bounce@example.com")
