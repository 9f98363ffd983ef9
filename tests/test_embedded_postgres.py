"""Without DATABASE_URL, a `manage.py` command runs on the embedded PostgreSQL in its folder, which stops with it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psutil

from .worker import wait_for

ROOT = Path(__file__).resolve().parents[1]
# What the server says about itself, and which user runs the backend process serving this command.
REPORT = (
    "import os; from django.db import connection; cursor = connection.cursor(); "
    "cursor.execute(\"SELECT pg_backend_pid(), current_setting('data_directory'), current_database()\"); "
    "pid, data, database = cursor.fetchone(); print(os.stat(f'/proc/{pid}').st_uid, data, database)"
)


def copy_of_the_project(folder: Path) -> Path:
    """The project's code in `folder`, with no data folder: a checkout whose server was never started."""
    for package in ("lede", "annotator", "claims", "curation", "frontend"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", folder)
    return folder


def server_processes(data: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if str(data) in " ".join(process.info["cmdline"] or ()):
            found.append(process)
    return found


def test_a_command_starts_the_embedded_server_in_its_folder_as_a_user_other_than_root_and_stops_it(tmp_path):
    project = copy_of_the_project(tmp_path / "lede")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "lede.settings.base"

    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", REPORT],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    uid, data, database = done.stdout.split()[-3:]
    assert (data, database) == (str(project / ".postgres" / "data"), "lede")
    if os.geteuid() == 0:
        assert int(uid) != 0  # PostgreSQL refuses root: the server runs as a system user of its own
    else:
        assert int(uid) == os.geteuid()
    assert wait_for(lambda: not server_processes(project / ".postgres"), timeout=60, what="the server to stop")
