"""A web server on 127.0.0.1 with a saved news page and pages that fail in each way a fetch can, for URL imports.

Loaded as a pytest plugin (tests/conftest.py): API and browser tests fetch from it under
`LEDE_FETCH_LOOPBACK_ONLY`, so no test reaches beyond the machine.
"""

import contextlib
import http.server
import threading
import time
from pathlib import Path

import pytest

NEWS_PAGE = (Path(__file__).resolve().parent / "annotator" / "data" / "news_page.html").read_text(encoding="utf-8")
# More than annotator.text.webfetch.MAX_BYTES, announced in Content-Length.
HUGE_BYTES = 6 * 1024 * 1024
SLOW_SECONDS = 2.0


class _Pages(http.server.BaseHTTPRequestHandler):
    routes = {
        "/news": (200, "text/html; charset=utf-8", NEWS_PAGE.encode()),
        "/plain": (200, "text/plain", b"The bridge reopened. Traffic returned."),
        "/image": (200, "image/png", b"\x89PNG"),
        "/big": (200, "text/html", b"<p>" + b"x" * 20_000 + b"</p>"),
        "/missing": (404, "text/html", b"Not here"),
    }
    redirects = {"/to-private": "http://10.0.0.1/news", "/to-news": "/news"}

    def do_GET(self):
        if self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
        if self.path == "/huge":
            self._send(200, "text/html", b"<p>" + b"x" * HUGE_BYTES + b"</p>")
            return
        self._send(*self.routes.get(self.path, self.routes["/missing"]))

    def _send(self, status: int, content_type: str, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The fetcher hangs up on a page over the limit, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def local_server():
    """The server's base URL, e.g. http://127.0.0.1:41234 (pages: /news, /plain, /image, /big, /huge,
    /missing, /slow, /to-news, /to-private)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
