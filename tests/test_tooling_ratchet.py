"""The ruff and mypy ratchet (tools/ratchet.py): the lists in pyproject.toml match what the tools find,
a new violation fails, and so does an excuse for a module that is clean now. (mypy's half runs in
.ci/run: it takes about a minute.)"""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import ratchet


def test_ruff_finds_nothing_new_and_nothing_stale():
    done = subprocess.run([sys.executable, "tools/ratchet.py", "--check", "--only", "ruff"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_new_violation_and_a_stale_excuse_both_fail():
    listed = {"decomp_desk/a.py": {"E501"}, "decomp_desk/b.py": {"I001", "UP035"}}
    actual = {"decomp_desk/a.py": {"E501", "B905"}, "decomp_desk/b.py": {"I001"}, "decomp_desk/c.py": {"F401"}}
    problems = ratchet.differences("ruff", listed, actual)
    assert problems == [
        "ruff: decomp_desk/a.py has new violations: B905 (fix them in the code)",
        "ruff: decomp_desk/b.py no longer has UP035 but is still excused: run tools/ratchet.py --write",
        "ruff: decomp_desk/c.py has new violations: F401 (fix them in the code)",
    ]
    clean = ratchet.differences("mypy", {"decomp_desk.d": {"arg-type"}}, {})
    assert clean == ["mypy: decomp_desk.d is clean now but is still excused: run tools/ratchet.py --write"]
    assert ratchet.differences("ruff", actual, actual) == []


def test_the_generated_lists_are_valid_toml_and_read_back_the_same():
    found = {"decomp_desk/x.py": {"E501", "I001"}, "tests/y.py": {"N817"}}
    types = {"decomp_desk.x": {"arg-type", "no-untyped-def"}}
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = ratchet.replace_block(text, ratchet.RUFF_BEGIN, ratchet.RUFF_END, ratchet.render_ruff(found))
    text = ratchet.replace_block(text, ratchet.MYPY_BEGIN, ratchet.MYPY_END, ratchet.render_mypy(types))
    assert ratchet.listed_ruff(text) == found and ratchet.listed_mypy(text) == types
    config = tomllib.loads(text)
    assert config["tool"]["ruff"]["lint"]["per-file-ignores"]["tests/y.py"] == ["N817"]
    assert {"module": "decomp_desk.x", "disable_error_code": ["arg-type", "no-untyped-def"]} in \
        config["tool"]["mypy"]["overrides"]


def test_the_lists_only_excuse_what_the_rules_select():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    selected = config["tool"]["ruff"]["lint"]["select"]
    assert {"F", "E", "I", "B", "UP"} <= set(selected)
    for path, codes in config["tool"]["ruff"]["lint"]["per-file-ignores"].items():
        assert (ROOT / path).is_file(), path
        assert all(any(c.startswith(s) for s in selected) for c in codes), (path, codes)
    assert config["tool"]["mypy"]["strict"] is True
