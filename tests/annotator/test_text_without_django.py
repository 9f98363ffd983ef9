"""The article-text package runs on plain data: no module of annotator/text/ imports Django."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Imports every module of the package, then splits an article of each format, so that the imports
# made inside functions (markdown-it-py, BeautifulSoup, trafilatura) are loaded too.
SCRIPT = """
import importlib, pkgutil, sys
import annotator.text
from annotator.text.segmentation import segment_article

modules = [info.name for info in pkgutil.iter_modules(annotator.text.__path__, "annotator.text.")]
for name in modules:
    importlib.import_module(name)
paragraphs = "<p>One sentence of the article. Another one.</p>" * 20
segment_article(f"<html><body><article><h1>Title</h1>{paragraphs}</article></body></html>", "html")
segment_article("# Title\\n\\nOne sentence. Another one.", "markdown")
segment_article("Title\\n\\nOne sentence. Another one.", "text")
print(len(modules), sorted(name for name in sys.modules if name == "django" or name.startswith("django.")))
"""


def test_every_text_module_imports_and_splits_articles_without_django():
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    count, django_modules = result.stdout.split(" ", 1)
    assert int(count) >= 10, "the package's modules should all be found"
    assert django_modules.strip() == "[]"
