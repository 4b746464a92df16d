"""The benchmark's account, and the sign-in the measured desk goes through.

The set-up (measure.py import) makes the clinic's administrator `bench`, as the first start of a real
clinic would. Every measured start then signs in through the desk's real login dialog: once the
application exists, a timer looks for the dialog, puts the user name and password in its fields and
clicks Sign in, so the Argon2 check and the dialog are inside the measured time. The program has no way
around its sign-in; this is a user who types very fast."""
from __future__ import annotations

BENCH_USER = "bench"
BENCH_PASSWORD = "ten busy years, two cores"


def ensure_account(services) -> None:
    """The administrator `bench` (also a clinician), unless the clinic already has accounts."""
    if services.accounts.needs_first_admin():
        services.accounts.create_first_admin(BENCH_USER, "Benchmark", BENCH_PASSWORD, also_clinician=True)


def sign_in_when_asked(desk_app) -> None:
    """Wrap ui.app.make_application: once the application is made, answer its login dialog."""
    real_make_application = desk_app.make_application

    def make_application(*args, **kwargs):
        app = real_make_application(*args, **kwargs)
        from PySide6.QtCore import QTimer

        from decomp_desk.ui.dialogs.sign_in_dialogs import LoginDialog

        timer = QTimer(app)
        timer.setInterval(2)

        def answer() -> None:
            dialog = next((w for w in app.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()), None)
            if dialog is None:
                return
            timer.stop()
            dialog.refused.connect(refused)
            dialog.username.setText(BENCH_USER)
            dialog.password.setText(BENCH_PASSWORD)
            dialog.save_button.click()

        def refused(exc) -> None:  # e.g. a database from before the account existed (--reuse)
            import os
            import sys

            print(f"the desk refused the benchmark's sign-in: {exc}", file=sys.stderr, flush=True)
            os._exit(5)

        timer.timeout.connect(answer)
        timer.start()
        return app

    desk_app.make_application = make_application
