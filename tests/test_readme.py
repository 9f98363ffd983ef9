"""README stays the front page: short, its two commands where CI reads them, every link and picture there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_holds_the_two_commands_ci_runs():
    for marker in ("<!-- demo-command -->", "<!-- test-command -->"):
        assert README.count(marker) == 1
        one_line_block = re.escape(marker) + r"\n```sh\n[^`\n]+\n```"
        assert re.search(one_line_block, README), f"{marker} must precede a one-line sh block"


def test_every_link_and_picture_of_the_readme_is_in_the_repository():
    targets = re.findall(r"\]\(([^)#\s]+)", README)
    local = [target for target in targets if not re.match(r"[a-z]+://", target)]
    assert len(local) > 10
    assert [target for target in local if not (ROOT / target).exists()] == []


def test_the_readme_is_a_front_page_not_the_manual():
    assert len(README.splitlines()) < 100, "the manual belongs in docs/"
