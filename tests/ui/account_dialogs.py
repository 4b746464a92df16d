"""The accounts' dialogs, for tests/ui/conftest.py's DIALOGS (kept here so that tuple's line stays short)."""
from decomp_desk.ui.dialogs.password_dialogs import ChangePasswordDialog, ResetPasswordDialog
from decomp_desk.ui.dialogs.sign_in_dialogs import FirstAdminDialog, LoginDialog
from decomp_desk.ui.dialogs.user_dialog import UserDialog
from decomp_desk.ui.dialogs.users_dialog import UsersDialog
from decomp_desk.ui.pages.audit_view import AuditDialog

ACCOUNT_DIALOGS = (FirstAdminDialog, LoginDialog, ChangePasswordDialog, ResetPasswordDialog, UserDialog, UsersDialog,
                   AuditDialog)
