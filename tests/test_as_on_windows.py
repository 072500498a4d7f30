"""The CLI and domain tests again, as a Windows machine would run them (issue 32), from this Linux suite:

- no system zone database (an empty PYTHONTZPATH: only the tzdata package the app depends on, as on Windows);
- output in cp1252, the code page a Windows console or a pipe under Git Bash's mintty gets.

One subprocess over the tests that touch zones and printed output (not the Pilot suite twice). Left out: the
console-output tests, which already run each command under cp1252 themselves, and the input checks that read text
with no zone or date in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUBSET = ["tests/domain", "tests/test_config_keys_cli.py", "tests/test_sweep_cli.py", "tests/test_train_cli.py",
          "tests/test_doctor.py", "tests/test_host.py"]
NO_ZONE_NOR_OUTPUT = ["minutes_any_string", "quantity_any_string", "whole_number_any_string", "urls_any_string"]


@pytest.mark.starts_first
def test_the_cli_and_domain_tests_pass_as_on_windows() -> None:
    # Both at once, as on a Windows machine (one run, not two: the suite's time is kept down).
    env = {**os.environ, "PYTHONTZPATH": "", "PYTHONIOENCODING": "cp1252"}
    env.pop("PYTEST_XDIST_WORKER", None)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", *SUBSET,
                           "-k", " and ".join(f"not {name}" for name in NO_ZONE_NOR_OUTPUT)],
                          cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
