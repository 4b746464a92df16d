"""The appointment book's dialogs, for conftest's list of dialogs a test must drive."""
from decomp_desk.ui.book.dialogs import AppointmentSessionDialog, BookAppointmentDialog, BookCourseDialog
from decomp_desk.ui.book.settings_dialog import BookSettingsDialog

BOOK_DIALOGS = (AppointmentSessionDialog, BookAppointmentDialog, BookCourseDialog, BookSettingsDialog)
