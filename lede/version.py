"""Which Lede this is: the package's version and, in a git checkout or where LEDE_COMMIT is set, its commit."""

import functools
import os
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_version() -> str:
    try:
        return metadata.version("lede")
    except metadata.PackageNotFoundError:
        return "unknown"


@functools.cache
def commit() -> str:
    """LEDE_COMMIT (an image built without .git sets it), else the checkout's HEAD, else ""."""
    if os.environ.get("LEDE_COMMIT"):
        return os.environ["LEDE_COMMIT"][:12]
    try:
        found = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


def described() -> str:
    """ "0.1.0 (commit 1a2b3c4d5e6f)", or the version alone where the commit is unknown."""
    return package_version() + (f" (commit {commit()})" if commit() else "")
