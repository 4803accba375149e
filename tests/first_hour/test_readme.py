"""The README a newcomer reads first: every mart listed, the commands documented, no work history."""

from __future__ import annotations

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"## {title}")
    following = README.find("\n## ", start + 3)
    return README[start : following if following != -1 else None]


def test_every_mart_has_a_line_in_the_warehouse_table():
    marts = sorted(path.stem for path in (ROOT / "dbt_project" / "models" / "marts").glob("*.sql"))
    table = "\n".join(line for line in section("What is in the warehouse").splitlines() if line.startswith("| `marts."))
    missing = [mart for mart in marts if not re.search(rf"`(marts\.)?{mart}`", table)]
    assert missing == [], f"marts without a line in the README: {missing}"


def test_the_commands_a_newcomer_needs_are_documented():
    for words in (
        "juesuan sql",
        "juesuan extract",
        "dbt test",
        "read_only=True",
        "make lab",
        "PORT=",
        "LAB_ARGS=",
        "--allow-empty",
        "make setup PYTHON=",
        "## What the sample covers",
        "samples/national/README.md",
    ):
        assert words in README, words


def test_no_internal_work_history():
    assert not re.search(r"\b[Ss]top \d+", README), "the README speaks of internal work history"
