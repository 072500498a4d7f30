"""The project's own account of its rules (docs/rules.md): every citation in the code names a rule that is there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def defined() -> set[str]:
    """The sections (§N), the rules named "Rule N.M", and the numbered rules of a section (§N.M)."""
    found: set[str] = set()
    section = None
    for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"## (\d+)\. ", line):
            section = heading.group(1)
            found.add(f"§{section}")
        elif section and (numbered := re.match(r"(\d+)\. \*\*", line)):
            found.add(f"§{section}.{numbered.group(1)}")
        found.update(f"§{n}" for n in re.findall(r"\*\*Rule (\d+\.\d+)", line))
    return found


def test_every_rule_the_code_cites_is_written_down() -> None:
    rules = defined()
    assert {"§3", "§7", "§7.2", "§7.10", "§3.2", "§8.1"} <= rules  # the reader of the document reads it so
    cited: dict[str, set[str]] = {}
    for path in [*(ROOT / "syncro_tui").rglob("*.py"), ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        for ref in re.findall(r"docs/rules\.md\s+((?:§\d+(?:\.\d+)?(?:,\s*|\s+and\s+)?)+)", text):
            for one in re.findall(r"§\d+(?:\.\d+)?", ref):
                cited.setdefault(one, set()).add(str(path.relative_to(ROOT)))
    assert len(cited) > 15, "the code cites the rules it enforces"
    missing = {ref: sorted(where) for ref, where in cited.items() if ref not in rules}
    assert not missing, f"cited but not in docs/rules.md: {missing}"
