"""docker-compose's nginx front on loopback ports, for tests/test_proxy.py and bench/brute_force.py."""

import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy/nginx/lede.conf.template"
PROXY = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["proxy"]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def render(directory: Path, *, upstream: str, http_port: int, https_port: int, workers: str = "1") -> Path:
    """The config as the nginx image renders it (only the template's own ${LEDE_*} filled), on loopback ports,
    with a self-signed certificate; returns the main config file to pass to `nginx -c`."""
    certificate, key = directory / "fullchain.pem", directory / "privkey.pem"
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
    site = directory / "lede.conf"
    site.write_text(text)
    main = directory / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(f" {kind}_temp_path {directory}/{kind};\n" for kind in ("proxy", "fastcgi", "uwsgi", "scgi"))
    main.write_text(
        f"{user}daemon off;\nworker_processes {workers};\npid {directory}/nginx.pid;\nerror_log stderr warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n access_log off;\n client_body_temp_path {directory}/body;\n{temp_paths} include {site};\n}}\n"
    )
    return main


def wait_until_served(url: str, deadline: float, context: ssl.SSLContext | None = None) -> int:
    """The status of GET `url` once it answers; OSError if it still does not by `deadline` (time.monotonic)."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as response:
                return response.status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def start(directory: Path, *, upstream: str, http_port: int, https_port: int, workers: str = "1") -> subprocess.Popen:
    """nginx in a session of its own in front of `upstream`; returns once it passes /healthz through
    (so `upstream` must be answering already). Stop it with `terminate()` and `wait()`."""
    main = render(directory, upstream=upstream, http_port=http_port, https_port=https_port, workers=workers)
    proxy = subprocess.Popen(
        [NGINX, "-p", str(directory), "-c", str(main)], stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_until_served(f"http://localhost:{http_port}/healthz", time.monotonic() + 30)
    except OSError:
        proxy.terminate()
        proxy.wait(timeout=20)
        raise
    return proxy


def unverified_tls() -> ssl.SSLContext:
    """A client context that accepts the self-signed certificate `render` makes."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
