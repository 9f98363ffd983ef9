"""README's walk-through runs as written: its shell blocks, with curl -fsS, against a live server holding the demo."""

import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lede.celery_app import app

ROOT = Path(__file__).resolve().parents[1]
MARKER = "<!-- walk-through -->"
README_SERVER = "http://127.0.0.1:8000"


def walk_through() -> str:
    """Every ```sh block that follows the marker, in README's order, as one script."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(re.escape(MARKER) + r"\s*```sh\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) == readme.count(MARKER) >= 3, "every walk-through marker must precede a ```sh block"
    return "\n".join(blocks)


@pytest.fixture
def eager_tasks():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.mark.django_db(transaction=True)
def test_the_walk_through_runs_against_a_fresh_demo(live_server, eager_tasks):
    call_command("load_demo", stdout=StringIO())
    script = walk_through()
    assert "curl -s " not in script, "README's requests use curl -fsS, so a failing one stops the walk-through"

    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.replace(README_SERVER, live_server.url)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    assert '"status":"ready"' in done.stdout.replace(" ", "")  # the bulk import and the reports
    assert '"label":"claim"' in done.stdout.replace(" ", "")  # the label saved
    assert '"annotators_created"' in done.stdout  # the study imported
    assert done.stdout.count('"alpha":') >= 3  # the demo's reports and the study's
