"""The manual in docs/: its examples run as written, what it names exists, and the site builds strictly."""

import os
import re
import subprocess
import sys
import textwrap
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lede.celery_app import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
API_PAGE = DOCS / "api.md"
DOCS_SERVER = "http://127.0.0.1:8000"
SIGN_IN = "<!-- sign-in -->"

FENCE = re.compile(r"^([ \t]*)```(\w*)[^\n]*\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
# Fenced languages shown but not run, and why. Every other fence is sh or python, and runs.
NOT_RUN = {
    "console": "commands for a server: docker compose, Celery workers, benchmarks, createsuperuser, a certificate",
    "r": "R is not installed on Lede's machines",
}
# What a page's examples must print besides exiting 0 (curl -fsS stops a script at a failed request).
PRINTS = {
    "leads/imports.md": ['"status":"ready"', '"annotators_created"', '"alpha":'],
    "reviewers.md": ['"label":"claim"'],
    "curators.md": ['"provenance":"adjudicated"'],
    "researchers/methods.md": ['"alpha":', '"contested":'],
    "leads/study-design.md": ['{"references":1}'],
}

APPS = ("annotator", "claims", "curation", "frontend", "lede")
REPOSITORY_PATH = re.compile(
    r"^(?:(?:annotator|claims|curation|frontend|lede|bench|tests|deploy|docs|\.ci)/[^\s`]*"
    r"|manage\.py|pyproject\.toml|docker-compose\.yml|Dockerfile|mkdocs\.yml)$"
)
PYTHON_NAME = re.compile(rf"^(?:{'|'.join(APPS)})(?:\.[A-Za-z_]\w*)+$")


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def fences(page: Path) -> list[tuple[str, str]]:
    """(language, text) of every fenced block of a page, in its order."""
    text = page.read_text(encoding="utf-8")
    return [(language, textwrap.dedent(body)) for _, language, body in FENCE.findall(text)]


def sign_in() -> str:
    """The block every page's examples start from: API, json, TOKEN, AUTH and DEMO."""
    found = re.search(re.escape(SIGN_IN) + r"\s*```sh\n(.*?)```", API_PAGE.read_text(encoding="utf-8"), re.DOTALL)
    assert found, f"{API_PAGE.name} must keep its {SIGN_IN} block"
    return found.group(1)


def script(page: Path) -> str:
    """A page's examples as one bash script: the sign-in, its shell blocks, its Python run by this interpreter."""
    parts = [] if page == API_PAGE else [sign_in()]
    for language, body in fences(page):
        if language == "sh":
            parts.append(body)
        elif language == "python":
            parts.append(f"{sys.executable} - <<'PYTHON'\n{body}PYTHON\n")
    return "\n".join(parts)


def pages_with_examples() -> list[str]:
    return [
        str(page.relative_to(DOCS))
        for page in pages()
        if any(language in ("sh", "python") for language, _ in fences(page))
    ]


def inline_code(text: str) -> list[str]:
    """Every word of every `code span` outside fenced blocks."""
    prose = FENCE.sub("", text)
    return [word.strip(".,;:()") for span in re.findall(r"`([^`\n]+)`", prose) for word in span.split()]


def defines(source: Path, name: str) -> bool:
    """Whether a module's source defines or imports `name` at any level (a class, function, assignment)."""
    text = source.read_text(encoding="utf-8")
    escaped = re.escape(name)
    definition = rf"^\s*(?:class|def)\s+{escaped}\b|^\s*{escaped}\s*[:=]|^\s*from\s.+\bimport\b.*\b{escaped}\b"
    return re.search(definition, text, re.MULTILINE) is not None


def module_file(dotted: str) -> Path | None:
    base = ROOT.joinpath(*dotted.split("."))
    return next((path for path in (base.with_suffix(".py"), base / "__init__.py") if path.exists()), None)


def missing(name: str) -> str | None:
    """Why a repository path (`path`, `path::Name`) or a dotted Python name does not exist, or None."""
    if PYTHON_NAME.match(name):
        parts = name.split(".")
        cut = next((cut for cut in range(len(parts), 0, -1) if module_file(".".join(parts[:cut]))), None)
        if cut is None:
            return f"{name}: no such module"
        if cut < len(parts) and not defines(module_file(".".join(parts[:cut])), parts[cut]):
            return f"{name}: {'.'.join(parts[:cut])} defines no {parts[cut]}"
        return None
    path, _, defined = name.partition("::")
    if not any(ROOT.glob(path.rstrip("/"))):
        return f"{path}: no such file or folder"
    if defined and not defines(ROOT / path, defined):
        return f"{name}: {path} defines no {defined}"
    return None


@pytest.fixture
def eager_tasks():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def run_examples(page: str, server: str) -> str | None:
    """Run a page's examples against the server; what went wrong, or None."""
    examples = script(DOCS / page)
    if "curl -s " in examples:
        return f"{page}: the examples use curl -fsS, so a failing request stops them"
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", examples.replace(DOCS_SERVER, server)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        return f"{page} failed:\nstdout:\n{done.stdout[-2000:]}\nstderr:\n{done.stderr[-2000:]}"
    printed = done.stdout.replace(" ", "")
    absent = [expected for expected in PRINTS.get(page, []) if expected not in printed]
    if absent:
        return f"{page} should print {absent}:\n{done.stdout[-2000:]}"
    return None


@pytest.mark.django_db(transaction=True)
def test_the_examples_of_every_page_run_against_the_demo(live_server, eager_tasks):
    """One demo for all pages (loading it takes most of the time); each page's examples make their own projects."""
    call_command("load_demo", stdout=StringIO())

    failures = [failure for page in pages_with_examples() if (failure := run_examples(page, live_server.url))]

    assert not failures, "\n\n".join(failures)


def test_every_page_whose_output_is_checked_has_examples():
    assert set(PRINTS) <= set(pages_with_examples())


def test_every_example_is_run_or_says_why_not():
    shown = {(str(page.relative_to(DOCS)), language) for page in pages() for language, _ in fences(page)}
    unknown = sorted((page, language) for page, language in shown if language not in {"sh", "python", *NOT_RUN})
    assert not unknown, f"fences the tests neither run nor list in NOT_RUN: {unknown}"


def test_every_repository_path_and_python_name_the_docs_name_exists():
    named = {
        word
        for document in [ROOT / "README.md", *pages()]
        for word in inline_code(document.read_text(encoding="utf-8"))
        if REPOSITORY_PATH.match(word) or PYTHON_NAME.match(word)
    }
    assert len(named) > 50  # the scan reads the pages at all
    problems = sorted(filter(None, map(missing, named)))
    assert not problems, "the docs name what is not there:\n" + "\n".join(problems)


def test_every_dependency_has_a_reason_on_the_dependencies_page():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    page = (DOCS / "dependencies.md").read_text(encoding="utf-8")
    names = [re.match(r"[A-Za-z0-9_.-]+", requirement).group(0) for requirement in requirements]
    unexplained = [name for name in names if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", page, re.I)]
    assert not unexplained, f"docs/dependencies.md does not say why these are there: {unexplained}"


def test_the_exports_page_lists_every_file_s_columns_in_order():
    from claims.exports import columns

    page = " ".join((DOCS / "researchers" / "exports.md").read_text(encoding="utf-8").split())
    tables = [
        columns.LONG_COLUMNS,
        columns.SOURCE_COLUMNS,
        columns.WIDE_FIXED,
        columns.WIDE_SUMMARY,
        columns.SOFT_FIXED,
        columns.SOFT_SUMMARY,
        columns.REVIEWER_COLUMNS,
        columns.GOLD_COLUMNS,
        columns.AGREEMENT_COLUMNS,
        *columns.RELIABILITY_TABLES.values(),
        columns.ANALYSIS_COLUMNS,
    ]
    listed = [", ".join(f"`{name}`" for name in table) for table in tables]
    assert [names for names in listed if names not in page] == []


def test_the_site_builds_strictly(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )

    assert built.returncode == 0, built.stderr[-3000:]
    assert (tmp_path / "architecture" / "index.html").exists()
