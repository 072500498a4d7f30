"""The types are checked by the suite: mypy over the package ([tool.mypy] in pyproject.toml), as the README says.

A wrong type here is a bug that only shows on the path nobody tried: ``dollars(None)`` in a read-back, a journal used
after it was closed, a labor type's name that is a product id.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.starts_first
def test_mypy_finds_no_type_error(tmp_path) -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache")], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
