"""Production settings pass Django's deployment checks, refuse to start without a real SECRET_KEY, hash slowly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests relax Django's async guard for this process; a deployment never does.
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(DJANGO_SETTINGS_MODULE="lede.settings.production", ALLOWED_HOSTS="lede.example.org", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode == 0, result.stderr


def test_production_settings_refuse_to_start_without_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_the_development_key():
    result = manage("check", SECRET_KEY="dev-only-insecure-key-change-me" + "x" * 40)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_a_short_key():
    result = manage("check", SECRET_KEY="short")
    assert result.returncode != 0


def test_production_settings_hash_passwords_with_a_slow_hasher():
    """The test settings' fast hasher stays in `lede.settings.test`: a deployment keeps Django's PBKDF2."""
    code = "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    result = manage("shell", "-c", code, SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def production_setting(expression: str, **env: str) -> str:
    code = f"from django.conf import settings; print(repr({expression}))"
    result = manage("shell", "-c", code, SECRET_KEY=secrets.token_urlsafe(60), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_forwarded_proto_is_believed_only_behind_the_proxy():
    assert production_setting("getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)") == "None"
    header = production_setting("settings.SECURE_PROXY_SSL_HEADER", BEHIND_PROXY="true")
    assert header == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert production_setting("settings.USE_X_FORWARDED_HOST", BEHIND_PROXY="true") == "False"


def test_cookies_are_secure_only_when_served_over_https():
    expression = "(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT)"
    assert production_setting(expression) == "(True, True, True)"
    assert production_setting(expression, HTTPS="false") == "(False, False, False)"
