"""The layering of ARCHITECTURE.md, enforced: import-linter's contracts live in pyproject.toml."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_widget_module_mentions_sql():
    """Belt and braces for the contract: no SQL text hides in the desk either."""
    sql = re.compile(r"\bSELECT\b.+\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b")
    offenders = []
    for path in (ROOT / "decomp_desk" / "ui").rglob("*.py"):
        if sql.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_desk_sees_the_services_facade_never_the_service_context():
    """Who acts, today and the services (bootstrap.Services) are all the desk needs; the context behind them
    holds the sessionmaker, and a widget with it could open a database session of its own."""
    reach = re.compile(r"services\.ctx\b|\.Session\(|\bServiceContext\b|sessionmaker")
    offenders = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "decomp_desk" / "ui").rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if reach.search(line)]
    assert offenders == []
