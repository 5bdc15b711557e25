"""The layer contracts (pyproject.toml, docs/architecture.md) hold, and catch a breach.

import-linter reads the package from the file system, so a breach is made in a copy of the
source tree and the real `lint-imports` is run over it: its own message must name the arrow.
It lives in the top layer's tests because it names every layer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # src/commonbeat
PYPROJECT = PACKAGE.parents[1] / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with the project's contracts over the `commonbeat` under a folder."""
    return subprocess.run(  # noqa: S603  our own tool, fixed arguments
        [str(LINT_IMPORTS), str(PYPROJECT), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=package_parent,
        env={"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"},
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """Return the parent of a copy of the source package, to break on purpose."""
    shutil.copytree(PACKAGE, tmp_path / "commonbeat", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def breach(tree: Path, module: str, line: str) -> None:
    path = tree / "commonbeat" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")


def test_the_contracts_hold_on_the_code_as_it_is() -> None:
    result = lint(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_an_arrow_back_up_the_layers_fails_naming_it(tree_copy: Path) -> None:
    breach(tree_copy, "records/sql.py", "from commonbeat.releases import publish")
    result = lint(tree_copy)
    assert result.returncode == 1
    assert "commonbeat.records is not allowed to import commonbeat.releases" in result.stdout
    assert "commonbeat.records.sql -> commonbeat.releases.publish" in result.stdout


def test_two_public_apps_may_not_import_each_other(tree_copy: Path) -> None:
    # Oversight exists now: transparency reaching into it is the breach.
    breach(tree_copy, "transparency/reports.py", "import commonbeat.oversight")
    result = lint(tree_copy)
    assert result.returncode == 1
    assert "commonbeat.transparency is not allowed to import commonbeat.oversight" in result.stdout


def test_an_import_cycle_inside_an_app_fails_naming_it(tree_copy: Path) -> None:
    breach(tree_copy, "core/geo.py", "from commonbeat.core import models")
    result = lint(tree_copy)
    assert result.returncode == 1
    assert "No cycles are allowed in commonbeat.core." in result.stdout
    assert "- .models -> .geo (1 import)" in result.stdout
