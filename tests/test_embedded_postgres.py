"""Without DATABASE_URL, a `manage.py` command runs on the embedded PostgreSQL in its folder, which stops with it."""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from .worker import wait_for

ROOT = Path(__file__).resolve().parents[1]
# What the server says about itself, and which user runs the backend process serving this command.
REPORT = (
    "import os; from django.db import connection; cursor = connection.cursor(); "
    "cursor.execute(\"SELECT pg_backend_pid(), current_setting('data_directory'), current_database()\"); "
    "pid, data, database = cursor.fetchone(); print(os.stat(f'/proc/{pid}').st_uid, data, database)"
)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's code with no data folder: a checkout whose server was never started."""
    folder = tmp_path / "lede"
    for package in ("lede", "annotator", "claims", "curation", "frontend"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", folder)
    return folder


def shell(project: Path, code: str, **options) -> subprocess.Popen:
    """`manage.py shell -c code` in `project`, with DATABASE_URL unset."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "lede.settings.base"
    command = [sys.executable, "manage.py", "shell", "--no-imports", "-c", code]
    return subprocess.Popen(command, cwd=project, env=env, text=True, **options)


def server_processes(folder: Path) -> list[psutil.Process]:
    """The server and its supervisor, which name the data folder on their command lines."""
    return [p for p in psutil.process_iter(["cmdline"]) if str(folder) in " ".join(p.info["cmdline"] or ())]


def test_a_command_starts_the_embedded_server_in_its_folder_as_a_user_other_than_root_and_stops_it(project):
    command = shell(project, REPORT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = command.communicate(timeout=180)

    assert command.returncode == 0, err[-3000:]
    uid, data, database = out.split()[-3:]
    assert (data, database) == (str(project / ".postgres" / "data"), "lede")
    if os.geteuid() == 0:
        assert int(uid) != 0  # PostgreSQL refuses root: the server runs as a system user of its own
    else:
        assert int(uid) == os.geteuid()
    assert wait_for(lambda: not server_processes(project / ".postgres"), timeout=60, what="the server to stop")


def test_a_second_command_shares_the_running_server_which_stops_when_the_last_user_is_killed(project, tmp_path):
    started = (
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('SELECT pg_postmaster_start_time()'); print(cursor.fetchone()[0].isoformat(), flush=True)"
    )
    first_out = tmp_path / "first.out"
    with first_out.open("w") as out:
        # Prints when its server started, then again each time it reads a line.
        first = shell(project, f"while True:\n {started}\n input()", stdin=subprocess.PIPE, stdout=out)
    try:
        printed = wait_for(
            lambda: first_out.read_text().split() or first.poll() is not None, timeout=180, what="the first command"
        )
        assert first.poll() is None, printed

        second = shell(project, started, stdout=subprocess.PIPE)
        assert second.communicate(timeout=180)[0].split()[-1] == printed[-1]  # the same server

        first.stdin.write("\n")
        first.stdin.flush()
        assert wait_for(
            lambda: len(first_out.read_text().split()) == 2 or first.poll() is not None,
            timeout=60,
            what="the first command's second query",
        )
        assert first_out.read_text().split() == [printed[-1]] * 2  # still served once the second had ended
    finally:
        first.send_signal(signal.SIGKILL)  # as `kill -- -PGID` or a crash would: the process cleans nothing up
        first.wait(timeout=30)
    assert wait_for(lambda: not server_processes(project / ".postgres"), timeout=60, what="the server to stop")
