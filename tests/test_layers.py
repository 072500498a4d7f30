"""The house's rules ([tool.importlinter] in pyproject.toml) hold: a wrong import fails the suite.

Layers each importable without the ones above, no import loop anywhere in the
package, a pure domain, nothing below the screens that knows the terminal, and
a simulator that borrows none of the app's rules. import-linter prints which
import breaks which contract. It runs in a process of its own (it sets up
logging its own way, which the app's tests must not inherit).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = ("import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")


def lint(house: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.fspath(house)}
    return subprocess.run([sys.executable, "-c", LINT], cwd=house, env=env, capture_output=True, text=True,
                          timeout=120)


def test_every_layer_contract_is_kept() -> None:
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_wrong_import_breaks_them(tmp_path: Path) -> None:
    """The contracts can fail: a copy of the package in which the domain imports a screen is refused."""
    shutil.copytree(ROOT / "syncro_tui", tmp_path / "syncro_tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    rates = tmp_path / "syncro_tui" / "domain" / "rates.py"
    rates.write_text(rates.read_text() + "\nfrom ..ui.queue import QueueScreen  # noqa\n")
    done = lint(tmp_path)
    assert done.returncode != 0
    assert "syncro_tui.domain.rates -> syncro_tui.ui.queue" in done.stdout
