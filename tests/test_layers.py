"""The house's rules ([tool.importlinter] in pyproject.toml) hold: a wrong import fails the suite.

Layers each importable without the ones above, no import loop anywhere in the
package, a pure domain, nothing below the screens that knows the terminal, and
a simulator that borrows none of the app's rules. import-linter prints which
import breaks which contract.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_every_layer_contract_is_kept(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    code = lint_imports(config_filename=os.fspath(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def test_a_screen_importing_another_screen_would_break_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The contracts can fail: a copy of the package where the domain imports a screen is refused."""
    import shutil

    copy = tmp_path / "house"
    shutil.copytree(ROOT / "syncro_tui", copy / "syncro_tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    rates = copy / "syncro_tui" / "domain" / "rates.py"
    rates.write_text(rates.read_text() + "\nfrom ..ui.queue import QueueScreen  # noqa\n")
    monkeypatch.chdir(copy)
    monkeypatch.syspath_prepend(os.fspath(copy))
    for name in [m for m in sys.modules if m == "syncro_tui" or m.startswith("syncro_tui.")]:
        monkeypatch.delitem(sys.modules, name)
    code = lint_imports(config_filename=os.fspath(copy / "pyproject.toml"), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert code != 0
    assert "syncro_tui.domain.rates -> syncro_tui.ui.queue" in out
