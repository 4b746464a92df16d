"""The lint and type ratchet (in the manner of napari): every module meets ruff's and mypy's rules as
configured in pyproject.toml, except what two generated lists there excuse, module by module and code
by code. The lists only shrink.

    python tools/ratchet.py --check     # fail on a new violation, or on an excuse no longer needed
    python tools/ratchet.py --write     # regenerate both lists from what ruff and mypy find now
    python tools/ratchet.py --check --only ruff     # (or mypy) one of the two

--check is what CI runs (.ci/run). After cleaning up a module, or after merging branches, run --write
and commit the shorter lists. A new violation is fixed in the code, not added to the list: --write
would add it, and the diff of pyproject.toml shows it to whoever reviews the change."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
RUFF_BEGIN, RUFF_END = "# ruff ratchet: begin", "# ruff ratchet: end"
MYPY_BEGIN, MYPY_END = "# mypy ratchet: begin", "# mypy ratchet: end"
MYPY_LINE = re.compile(r"^(?P<path>[^:\s]+\.pyi?):\d+(?::\d+)?: error: .*\[(?P<code>[a-z0-9-]+)\]\s*$")

Findings = dict[str, set[str]]  # module (a path for ruff, a dotted name for mypy) -> codes


# --- the blocks in pyproject.toml ----------------------------------------------------------------------

def _block(text: str, begin: str, end: str) -> tuple[int, int]:
    """Where the lines between the markers start and end (character offsets)."""
    start = text.index(begin)
    start = text.index("\n", start) + 1
    return start, text.index(end, start)


def listed_ruff(text: str) -> Findings:
    a, b = _block(text, RUFF_BEGIN, RUFF_END)
    found: Findings = {}
    for line in text[a:b].splitlines():
        m = re.match(r'^"(?P<path>[^"]+)"\s*=\s*\[(?P<codes>[^\]]*)\]', line.strip())
        if m:
            found[m["path"]] = set(re.findall(r'"([A-Z0-9]+)"', m["codes"]))
    return found


def listed_mypy(text: str) -> Findings:
    a, b = _block(text, MYPY_BEGIN, MYPY_END)
    found: Findings = {}
    module = None
    for line in text[a:b].splitlines():
        line = line.strip()
        if line.startswith("module"):
            module = re.search(r'"([^"]+)"', line)[1]  # type: ignore[index]
        elif line.startswith("disable_error_code") and module:
            found[module] = set(re.findall(r'"([a-z0-9-]+)"', line))
    return found


def render_ruff(found: Findings) -> str:
    return "".join(f'"{path}" = [{", ".join(json.dumps(c) for c in sorted(codes))}]\n'
                   for path, codes in sorted(found.items()))


def render_mypy(found: Findings) -> str:
    return "".join(f'[[tool.mypy.overrides]]\nmodule = "{module}"\n'
                   f'disable_error_code = [{", ".join(json.dumps(c) for c in sorted(codes))}]\n'
                   for module, codes in sorted(found.items()))


def replace_block(text: str, begin: str, end: str, body: str) -> str:
    a, b = _block(text, begin, end)
    return text[:a] + body + text[b:]


# --- what the tools find now -----------------------------------------------------------------------------

def ruff_findings() -> Findings:
    """Every violation of the configured rules, with the ratchet's excuses switched off."""
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--exit-zero", "--output-format",
                           "json", "--config", "lint.per-file-ignores = {}", "."], cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise SystemExit(f"ruff did not run:\n{done.stderr}")
    found: Findings = defaultdict(set)
    for v in json.loads(done.stdout):
        found[Path(v["filename"]).resolve().relative_to(ROOT).as_posix()].add(v["code"])
    return dict(found)


def mypy_findings() -> Findings:
    """Every mypy error with the configuration in pyproject.toml minus the ratchet's overrides."""
    text = PYPROJECT.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "pyproject.toml"
        config.write_text(replace_block(text, MYPY_BEGIN, MYPY_END, ""), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(config), "--no-error-summary",
                               "--cache-dir", str(ROOT / ".mypy_cache"), "decomp_desk"], cwd=ROOT,
                              capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"mypy did not run:\n{done.stdout}\n{done.stderr}")
    found: Findings = defaultdict(set)
    for line in done.stdout.splitlines():
        m = MYPY_LINE.match(line)
        if m:
            found[_module(m["path"])].add(m["code"])
    return dict(found)


def _module(path: str) -> str:
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


# --- compare -----------------------------------------------------------------------------------------------

def differences(tool: str, listed: Findings, actual: Findings) -> list[str]:
    """Sentences for each new violation and each excuse no longer needed."""
    problems = []
    for module in sorted(set(listed) | set(actual)):
        new = actual.get(module, set()) - listed.get(module, set())
        stale = listed.get(module, set()) - actual.get(module, set())
        if new:
            problems.append(f"{tool}: {module} has new violations: {', '.join(sorted(new))} (fix them in the code)")
        if stale:
            what = "is clean now" if not actual.get(module) else f"no longer has {', '.join(sorted(stale))}"
            problems.append(f"{tool}: {module} {what} but is still excused: run tools/ratchet.py --write")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The ruff and mypy ratchet.")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="fail on a new violation or a stale excuse")
    mode.add_argument("--write", action="store_true", help="regenerate the lists in pyproject.toml")
    parser.add_argument("--only", choices=("ruff", "mypy"), help="one of the two tools")
    args = parser.parse_args(argv)
    tools = [args.only] if args.only else ["ruff", "mypy"]
    text = PYPROJECT.read_text(encoding="utf-8")
    problems: list[str] = []
    for tool in tools:
        actual = ruff_findings() if tool == "ruff" else mypy_findings()
        if args.write:
            if tool == "ruff":
                text = replace_block(text, RUFF_BEGIN, RUFF_END, render_ruff(actual))
            else:
                text = replace_block(text, MYPY_BEGIN, MYPY_END, render_mypy(actual))
            count = sum(len(c) for c in actual.values())
            print(f"{tool}: {len(actual)} modules excused, {count} module-code pairs.")
        else:
            listed = listed_ruff(text) if tool == "ruff" else listed_mypy(text)
            problems += differences(tool, listed, actual)
    if args.write:
        PYPROJECT.write_text(text, encoding="utf-8")
        return 0
    for p in problems:
        print(p, file=sys.stderr)
    if not problems:
        print(f"{' and '.join(tools)}: nothing new, nothing stale.")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
