"""docker-compose.yml and the Dockerfile describe a Lede that really starts: checked without Docker."""

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from annotator.tasks import SWEEP_QUEUE

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SECRET = "x" * 20 + "-test-only-secret-key-with-enough-length-0123456789"


def service_command(name: str) -> str:
    command = SERVICES[name]["command"]
    return command if isinstance(command, str) else shlex.join(command)


def shell_steps(command: str) -> list[list[str]]:
    """The simple commands inside `sh -c "a && b && c"` or a plain command line."""
    words = shlex.split(command)
    if words[:2] == ["sh", "-c"]:
        return [shlex.split(step) for step in re.split(r"&&", words[2])]
    return [words]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_compose_defines_db_redis_web_workers_beat_and_proxy_with_health_checks():
    assert set(SERVICES) == {"db", "redis", "web", "worker", "worker-bulk", "beat", "proxy"}
    for name, service in SERVICES.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_database_lives_on_a_named_volume():
    assert "pgdata" in COMPOSE["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]


def test_web_and_worker_wait_for_healthy_db_and_redis():
    for name in ("web", "worker", "worker-bulk", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends == {"db": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}


def test_every_manage_py_command_in_compose_exists():
    commands = get_commands()
    steps = [step for name in ("web", "worker") for step in shell_steps(service_command(name))]
    used = [step[2] for step in steps if step[:2] == ["python", "manage.py"]]
    assert used, "compose runs no manage.py command"
    for name in used:
        assert name in commands, f"manage.py {name} does not exist"


def test_worker_command_names_the_project_celery_app():
    step = shell_steps(service_command("worker"))[0]
    assert step[:3] == ["celery", "-A", "lede"]
    from lede import celery_app

    assert celery_app.main == "lede"


def queues_of(name: str) -> set[str]:
    step = shell_steps(service_command(name))[0]
    return set(step[step.index("--queues") + 1].split(","))


def test_exports_and_imports_have_a_worker_of_their_own_so_agreement_never_waits_behind_them():
    from lede.celery_app import app

    default = app.conf.task_default_queue
    routed = {route["queue"] for route in app.conf.task_routes.values()}
    assert routed == {"bulk"} != {default}
    for task in ("claims.tasks.build_export_archive", "annotator.tasks.import_articles"):
        assert app.amqp.router.route({}, task)["queue"].name == "bulk"
    assert app.amqp.router.route({}, "claims.tasks.compute_agreement_report")["queue"].name == default
    assert queues_of("worker") - {SWEEP_QUEUE} == {default}
    assert queues_of("worker-bulk") - {SWEEP_QUEUE} == routed


def test_beat_runs_the_sweepers_that_end_jobs_of_stopped_workers():
    from lede.celery_app import app

    step = shell_steps(service_command("beat"))[0]
    assert step[:4] == ["celery", "-A", "lede", "beat"]
    swept = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert swept == {"annotator.tasks.sweep_article_imports", "claims.tasks.sweep_jobs"}
    assert all(name in app.tasks for name in swept)


def queue_of(task_name: str) -> str:
    """The queue a message of the task goes to, as beat sends it (the task's own options, then the routes)."""
    from lede.celery_app import app

    task = app.tasks[task_name]
    queue = getattr(task, "queue", None)
    return app.amqp.router.route({"queue": queue} if queue else {}, task_name)["queue"].name


def test_the_sweeps_reach_every_worker_so_one_that_died_does_not_take_them_with_it():
    from lede.celery_app import app

    swept = {queue_of(entry["task"]) for entry in app.conf.beat_schedule.values()}
    assert swept == {SWEEP_QUEUE}
    workers = [name for name, service in SERVICES.items() if "celery -A lede worker" in service.get("command", "")]
    assert workers == ["worker", "worker-bulk"]
    for name in workers:
        assert SWEEP_QUEUE in queues_of(name), f"{name} does not consume the sweeps"
    assert queue_of("claims.tasks.compute_agreement_report") not in queues_of("worker-bulk")


def test_every_long_running_service_restarts_when_it_stops():
    for name, service in SERVICES.items():
        assert service.get("restart") in ("always", "unless-stopped"), f"{name} stays down once it stops"


def test_dockerfile_copies_only_paths_that_exist():
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"


def test_only_the_proxy_publishes_ports():
    """gunicorn is reached through nginx alone, so slow clients and forged X-Forwarded-* stop there."""
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    assert SERVICES["web"]["expose"] == ["8000"]
    assert SERVICES["proxy"]["environment"]["LEDE_UPSTREAM"] == "web:8000"


def test_web_believes_forwarded_headers_only_because_the_proxy_is_in_front():
    assert SERVICES["web"]["environment"]["BEHIND_PROXY"] == "true"
    assert SERVICES["proxy"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_proxy_mounts_the_config_template_that_exists():
    mounts = dict(volume.rsplit(":", 1)[0].split(":", 1) for volume in SERVICES["proxy"]["volumes"])
    assert mounts["./deploy/nginx"] == "/etc/nginx/templates"
    assert (ROOT / "deploy/nginx/lede.conf.template").exists()


def test_web_command_serves_healthz_under_production_settings(tmp_path, empty_database_url):
    """Run the web service's own steps (migrate, collectstatic, gunicorn) outside Docker."""
    port = free_port()
    env = {
        **os.environ,
        **{k: str(v) for k, v in SERVICES["web"]["environment"].items() if not str(v).startswith("${")},
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": empty_database_url,
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("CELERY_BROKER_URL")
    bin_dir = Path(sys.executable).parent
    steps = shell_steps(service_command("web"))
    for step in steps[:-1]:
        subprocess.run([str(bin_dir / "python"), *step[1:]], cwd=ROOT, env=env, check=True, capture_output=True)
    gunicorn = steps[-1]
    assert gunicorn[:2] == ["gunicorn", "lede.wsgi"]
    bind = gunicorn.index("--bind")
    gunicorn[bind + 1] = f"127.0.0.1:{port}"
    server = subprocess.Popen([str(bin_dir / "gunicorn"), *gunicorn[1:]], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://localhost:{port}/api/v1/", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}
