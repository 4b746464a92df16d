"""The build step pyproject.toml cannot say: copy the top-level resources/ folder (icon, desktop entry,
style sheet, pages' CSS) into the package as decomp_desk/resources, so an installed (non-editable)
DecompDesk finds them beside its code (decomp_desk/resource_files.py). Everything else is in
pyproject.toml."""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "decomp_desk" / "resources"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(HERE / "resources", target)


setup(cmdclass={"build_py": BuildWithResources})
