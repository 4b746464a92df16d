"""What a form says about a refused field, read as the user sees it: the red line beside the field."""
from __future__ import annotations

from decomp_desk.ui.forms import FieldMarks


def beside(marks: FieldMarks, name: str) -> str:
    """The reason shown beside field `name` ('' when none is shown)."""
    label = marks.beside.get(name)
    return label.text() if label is not None and label.isVisibleTo(label.window()) else ""
