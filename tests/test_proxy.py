"""docker-compose's nginx front: its config passes `nginx -t`, and slow clients stop at nginx, not in gunicorn."""

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy/nginx/lede.conf.template"
PROXY = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["proxy"]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() and os.environ.get("CI") != "true",
    reason="nginx is not installed (apt install nginx); required under CI=true, where .ci/run installs it",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render(tmp_path: Path, *, upstream: str, http_port: int, https_port: int) -> Path:
    """The config as the nginx image renders it (only the template's own ${LEDE_*} filled), on loopback ports."""
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"),
            *("-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
    )
    values = {**PROXY["environment"], "LEDE_UPSTREAM": upstream}
    values.update(LEDE_TLS_CERTIFICATE=str(certificate), LEDE_TLS_CERTIFICATE_KEY=str(key))
    text = re.sub(r"\$\{(LEDE_\w+)\}", lambda match: values[match.group(1)], TEMPLATE.read_text())
    text = re.sub(r"^\s*listen \[::\].*$", "", text, flags=re.MULTILINE)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    text = text.replace("https://$host$request_uri", f"https://$host:{https_port}$request_uri")
    site = tmp_path / "lede.conf"
    site.write_text(text)
    main = tmp_path / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(f" {kind}_temp_path {tmp_path}/{kind};\n" for kind in ("proxy", "fastcgi", "uwsgi", "scgi"))
    main.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log stderr warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path}/body;\n{temp_paths} include {site};\n}}\n"
    )
    return main


def wait_until_served(url: str, deadline: float, context=None) -> int:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as response:
                return response.status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_nginx_accepts_the_config(tmp_path):
    main = render(tmp_path, upstream="127.0.0.1:8000", http_port=free_port(), https_port=free_port())
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_proxy_replaces_forwarded_headers_a_client_sends():
    text = TEMPLATE.read_text()
    for header in ("X-Forwarded-Proto $scheme", "X-Real-IP $remote_addr", "X-Forwarded-For $remote_addr"):
        assert f"proxy_set_header {header};" in text
    assert "client_max_body_size 64m;" in text
    assert re.search(r"location = /api/v1/auth/token/ \{\s*limit_req zone=lede_signin", text)
    assert re.search(r"location = /accounts/login/ \{\s*limit_req zone=lede_signin", text)


@pytest.fixture
def gunicorn_behind_nginx(tmp_path):
    """gunicorn with one worker of two threads (easy to exhaust), and nginx in front of it."""
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lede.settings.production",
        "SECRET_KEY": "x" * 20 + "-test-only-secret-key-with-enough-length-0123456789",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "BEHIND_PROXY": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'proxy.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    bin_dir = Path(sys.executable).parent
    command = [str(bin_dir / "gunicorn"), "lede.wsgi", "--bind", f"127.0.0.1:{app_port}"]
    command += ["--workers", "1", "--threads", "2", "--worker-class", "gthread", "--timeout", "60"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    main = render(tmp_path, upstream=f"127.0.0.1:{app_port}", http_port=http_port, https_port=https_port)
    proxy = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(main)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        wait_until_served(f"http://127.0.0.1:{app_port}/healthz", deadline)
        wait_until_served(f"http://localhost:{http_port}/healthz", deadline)
        yield app_port, https_port
    finally:
        proxy.terminate()
        server.terminate()
        proxy.wait(timeout=20)
        server.wait(timeout=20)


def slow_header_clients(port: int, count: int) -> list[socket.socket]:
    """Connections that send the start of a request and then nothing: each holds a gunicorn thread."""
    clients = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        clients.append(client)
    return clients


def test_slow_header_clients_stop_gunicorn_but_not_nginx(gunicorn_behind_nginx):
    app_port, https_port = gunicorn_behind_nginx
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    direct = slow_header_clients(app_port, 13)
    try:
        with pytest.raises(TimeoutError):
            urllib.request.urlopen(f"http://127.0.0.1:{app_port}/healthz", timeout=3)
    finally:
        for client in direct:
            client.close()

    through_proxy = []
    for _ in range(13):
        raw = socket.create_connection(("127.0.0.1", https_port))
        client = context.wrap_socket(raw, server_hostname="localhost")
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        through_proxy.append(client)
    try:
        deadline = time.monotonic() + 15
        assert wait_until_served(f"https://localhost:{https_port}/healthz", deadline, context) == 200
    finally:
        for client in through_proxy:
            client.close()


def test_the_proxy_sets_the_scheme_so_django_sees_https(gunicorn_behind_nginx):
    """A client's forged X-Forwarded-Proto is replaced: over TLS Django sees HTTPS and answers with HSTS."""
    _, https_port = gunicorn_behind_nginx
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(f"https://localhost:{https_port}/api/v1/", headers={"X-Forwarded-Proto": "http"})
    with urllib.request.urlopen(request, timeout=10, context=context) as response:
        assert response.status == 200
        assert response.headers["Strict-Transport-Security"]
