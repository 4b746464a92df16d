"""Where the files of the top-level `resources/` folder are: the icon, the desktop entry, the desk's
style sheet and the printed pages' CSS. Plain Python (the pages' HTML code reads the CSS without Qt).

Three ways the program runs, one lookup:
- installed from a wheel: setup.py's build step copies `resources/` into the package, as
  `decomp_desk/resources/` (so `pip install .`, not editable, finds them beside the code);
- frozen by PyInstaller: packaging/decomp-desk.spec puts them at the same place inside the bundle;
- from a source tree (tests, `PYTHONPATH=$PWD`, an editable install): the top-level `resources/`."""
from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
CANDIDATES = (_PACKAGE / "resources", _PACKAGE.parent / "resources")

STYLE_SHEET = "decomp-desk.qss"
PAGES_CSS = "pages.css"
ICON_SVG = "icons/decomp-desk.svg"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


class MissingResourceError(FileNotFoundError):
    """A file of resources/ is not where the program looks: a broken installation."""


@cache
def resource_dir() -> Path:
    for folder in CANDIDATES:
        if (folder / STYLE_SHEET).is_file():
            return folder
    looked = ", ".join(map(str, CANDIDATES))
    raise MissingResourceError(f"DecompDesk's resources folder is missing (looked in {looked}); reinstall the program.")


def resource_path(name: str) -> Path:
    path = resource_dir() / name
    if not path.is_file():
        raise MissingResourceError(f"DecompDesk's resource {name} is missing from {resource_dir()}; "
                                   "reinstall the program.")
    return path


@cache
def read_text(name: str) -> str:
    return resource_path(name).read_text(encoding="utf-8")


def icon_png(size: int) -> Path:
    return resource_path(f"icons/decomp-desk-{size}.png")
