"""What the three PyInstaller spec files share: the program's files that are not Python imports (the
resources folder, the Alembic migrations read as files), the modules imported only by name, and what
to leave out. Imported by the .spec files (PyInstaller runs them with this folder on sys.path)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = str(ROOT / "packaging" / "entry.py")
ICONS = ROOT / "resources" / "icons"

# (source, folder inside the bundle): resource_files.py and db/migrate.py look beside the package's code.
DATAS = [
    (str(ROOT / "resources"), "decomp_desk/resources"),
    (str(ROOT / "decomp_desk" / "db" / "migrations"), "decomp_desk/db/migrations"),
]

# Loaded by name at run time, so the analysis cannot see them.
HIDDEN_IMPORTS = [
    "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg", "psycopg_binary",
    "alembic.runtime.migration", "alembic.ddl.sqlite", "alembic.ddl.postgresql",
    "matplotlib.backends.backend_qtagg", "matplotlib.backends.backend_agg",
    "argon2", "_cffi_backend",
]

# Never used by the program; some would otherwise be pulled in by matplotlib's or Qt's hooks.
EXCLUDES = [
    "tkinter", "_tkinter", "PyQt5", "PyQt6", "PySide2", "IPython", "jupyter", "notebook", "pytest", "hypothesis",
    "pytestqt", "pypdf", "importlinter", "pyinstrument",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtQml", "PySide6.QtQuick",
    "PySide6.Qt3DCore", "PySide6.QtMultimedia", "PySide6.QtCharts", "PySide6.QtDataVisualization",
    "PySide6.QtNetwork", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtXml", "PySide6.QtBluetooth",
]
