"""docker-compose's nginx front: its config passes `nginx -t`, and slow clients stop at nginx, not in gunicorn."""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .nginx_front import NGINX, ROOT, TEMPLATE, render, start, unverified_tls, wait_until_served

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() and os.environ.get("CI") != "true",
    reason="nginx is not installed (apt install nginx); required under CI=true, where .ci/run installs it",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    assert re.search(r"location /join/ \{\s*limit_req zone=lede_signin", text)


@pytest.fixture
def proxy_env(tmp_path, empty_database_url) -> dict:
    """The environment of gunicorn behind the proxy: production settings on a database of its own."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lede.settings.production",
        "SECRET_KEY": "x" * 20 + "-test-only-secret-key-with-enough-length-0123456789",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "BEHIND_PROXY": "true",
        "DATABASE_URL": empty_database_url,
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@pytest.fixture
def gunicorn_behind_nginx(tmp_path, proxy_env):
    """gunicorn with one worker of two threads (easy to exhaust), and nginx in front of it."""
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    bin_dir = Path(sys.executable).parent
    command = [str(bin_dir / "gunicorn"), "lede.wsgi", "--bind", f"127.0.0.1:{app_port}"]
    command += ["--workers", "1", "--threads", "2", "--worker-class", "gthread", "--timeout", "60"]
    server = subprocess.Popen(command, cwd=ROOT, env=proxy_env, stderr=subprocess.DEVNULL)
    try:
        wait_until_served(f"http://127.0.0.1:{app_port}/healthz", time.monotonic() + 30)
        proxy = start(tmp_path, upstream=f"127.0.0.1:{app_port}", http_port=http_port, https_port=https_port)
        try:
            yield app_port, https_port
        finally:
            proxy.terminate()
            proxy.wait(timeout=20)
    finally:
        server.terminate()
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
    context = unverified_tls()

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
    context = unverified_tls()
    request = urllib.request.Request(f"https://localhost:{https_port}/api/v1/", headers={"X-Forwarded-Proto": "http"})
    with urllib.request.urlopen(request, timeout=10, context=context) as response:
        assert response.status == 200
        assert response.headers["Strict-Transport-Security"]


SEED_REVIEWER = """
import json
from annotator import services
from annotator.models import Membership, Role
from django.contrib.auth import get_user_model
User = get_user_model()
owner = User.objects.create_user("owner", password="proxy-password-1")
reviewer = User.objects.create_user("reviewer", password="proxy-password-1")
project = services.create_project(owner=owner, name="Behind the proxy")
Membership.objects.create(project=project, user=reviewer, role=Role.ANNOTATOR)
article = services.ArticleInput(text="The bridge opened in 1932. It carries six lanes.")
document = services.import_documents(project=project, created_by=owner, articles=[article])[0]
token, _ = services.issue_token(user=reviewer)
print(json.dumps({"token": token, "sentence": document.sentences.values_list("id", flat=True).first()}))
"""


def seed_reviewer(env: dict) -> dict:
    """The web service's steps (migrate, collectstatic), then an owner, a reviewer with a token, and one
    sentence to label."""
    for step in (["migrate"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *step, "-v", "0"], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED_REVIEWER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def test_a_reviewer_signs_in_through_the_login_form_on_a_port_of_the_proxy_s_own(gunicorn_behind_nginx, proxy_env):
    """The browser's Origin names the port it used; nginx passes the Host with that port, so CSRF accepts it."""
    _, https_port = gunicorn_behind_nginx
    seed_reviewer(proxy_env)
    origin = f"https://localhost:{https_port}"
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=unverified_tls()), urllib.request.HTTPCookieProcessor()
    )
    with opener.open(f"{origin}/accounts/login/", timeout=10) as form:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.read().decode())[1]
    fields = {"csrfmiddlewaretoken": token, "username": "reviewer", "password": "proxy-password-1"}
    headers = {"Origin": origin, "Referer": f"{origin}/accounts/login/"}
    request = urllib.request.Request(
        f"{origin}/accounts/login/", data=urllib.parse.urlencode(fields).encode(), headers=headers
    )
    with opener.open(request, timeout=10) as home:
        assert home.status == 200
        assert not home.geturl().endswith("/accounts/login/"), "signed in and sent on, not refused"
        assert b"reviewer" in home.read()


NGINX_PAGE = b"<hr><center>nginx"  # nginx's own error page, whatever its version


def posts_at_once(https_port: int, path: str, body: str, content_type: str, count: int) -> list[tuple[int, bytes]]:
    """`count` POSTs from one address, arriving together on connections opened beforehand, so that nginx's
    bucket cannot empty between them; each answer's status and body."""
    context = unverified_tls()
    connections = [
        http.client.HTTPSConnection("127.0.0.1", https_port, timeout=120, context=context) for _ in range(count)
    ]
    for connection in connections:
        connection.connect()
    together = threading.Barrier(len(connections))
    answers = []

    def post(connection):
        together.wait()
        connection.request("POST", path, body, {"Content-Type": content_type})
        response = connection.getresponse()
        answers.append((response.status, response.read()))
        connection.close()

    threads = [threading.Thread(target=post, args=(connection,)) for connection in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def signin_burst() -> int:
    """The burst the template allows the sign-in zone (the same on the login form and the token endpoint)."""
    bursts = set(re.findall(r"limit_req zone=lede_signin burst=(\d+) nodelay;", TEMPLATE.read_text()))
    assert len(bursts) == 1, bursts
    return int(bursts.pop())


def test_guesses_from_one_address_get_429_from_nginx_after_the_burst_while_a_reviewer_still_saves(
    gunicorn_behind_nginx, proxy_env
):
    """The guesses arrive together on connections opened beforehand, so nginx's bucket cannot empty
    between them: the first burst + 1 reach Lede (a wrong password: 400), the rest stop at nginx."""
    _, https_port = gunicorn_behind_nginx
    reviewer = seed_reviewer(proxy_env)
    burst = signin_burst()
    context = unverified_tls()
    body = json.dumps({"username": "owner", "password": "not-the-password"})
    answers = posts_at_once(https_port, "/api/v1/auth/token/", body, "application/json", 3 * (burst + 1))

    by_nginx = [status for status, body in answers if NGINX_PAGE in body]
    by_lede = [status for status, body in answers if NGINX_PAGE not in body]
    assert set(by_nginx) == {429}
    assert set(by_lede) == {400}
    # One more may pass if nginx's bucket lets one out (10 a minute) while the guesses arrive.
    assert burst + 1 <= len(by_lede) <= burst + 2

    headers = {"Authorization": f"Token {reviewer['token']}", "Content-Type": "application/json"}
    save = http.client.HTTPSConnection("127.0.0.1", https_port, timeout=120, context=context)
    save.request(
        "PUT", f"/api/v1/sentences/{reviewer['sentence']}/annotation/", json.dumps({"label": "claim"}), headers
    )
    response = save.getresponse()
    assert response.status in (200, 201)
    assert json.loads(response.read())["label"] == "claim"
    save.request("GET", "/accounts/login/")
    login_page = save.getresponse()
    assert login_page.status == 200, "showing the login form is not a guess"
    assert b'name="password"' in login_page.read()
    save.close()


SEED_INVITATION = """
from annotator import services
from annotator.models import Project
from django.contrib.auth import get_user_model
owner = get_user_model().objects.get(username="owner")
project = Project.objects.get()
print(services.create_invitation(project=project, created_by=owner, role="annotator").token)
"""


def test_joins_from_one_address_get_429_from_nginx_after_the_sign_in_burst(gunicorn_behind_nginx, proxy_env):
    """A join hashes a password as a sign-in does, so the join page's POSTs share the sign-in zone."""
    _, https_port = gunicorn_behind_nginx
    seed_reviewer(proxy_env)
    command = [sys.executable, "manage.py", "shell", "-c", SEED_INVITATION]
    seeded = subprocess.run(command, cwd=ROOT, env=proxy_env, capture_output=True, text=True, check=True)
    token = seeded.stdout.strip().splitlines()[-1]
    burst = signin_burst()
    fields = urllib.parse.urlencode({"username": "flood", "password": "x", "password_again": "x"})
    answers = posts_at_once(https_port, f"/join/{token}/", fields, "application/x-www-form-urlencoded", 3 * (burst + 1))

    by_nginx = [status for status, body in answers if NGINX_PAGE in body]
    by_lede = [status for status, body in answers if NGINX_PAGE not in body]
    assert set(by_nginx) == {429}
    assert set(by_lede) == {403}, "no CSRF token: refused before any account is made"
    assert burst + 1 <= len(by_lede) <= burst + 2
