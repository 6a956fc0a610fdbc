"""core.settings.production: secure by default, and it will not start without its secrets."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def run(args, env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ZHONGTAI_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "core.settings.production", "ZHONGTAI_VAR_DIR": str(tmp_path / "var")})
    env.update({k: v for k, v in env_overrides.items() if v is not None})
    for k, v in env_overrides.items():
        if v is None:
            env.pop(k, None)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def load(env_overrides, tmp_path):
    return run(["-c", "import core.settings.production as s; print('HSTS', s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
                      "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SIGNING_KEY_AUTOCREATE)"], env_overrides, tmp_path)


@pytest.fixture
def key_file(tmp_path):
    from core.platform.signing import generate

    path = tmp_path / "keys" / "signing.pem"
    generate(path)
    return path


@pytest.fixture
def good(key_file):
    return {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "ai.example.internal",
            "ZHONGTAI_SIGNING_KEY_FILE": str(key_file)}


def test_starts_with_secure_defaults(good, tmp_path):
    out = load(good, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "HSTS 31536000 True True True False" in out.stdout


@pytest.mark.parametrize("change, message", [
    ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is not set"),
    ({"DJANGO_SECRET_KEY": "zhongtai-dev-insecure-change-me"}, "development default or too weak"),
    ({"DJANGO_SECRET_KEY": "short"}, "too weak"),
    ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS is not set"),
    ({"DJANGO_DEBUG": "1"}, "never runs in debug mode"),
    ({"ZHONGTAI_SIGNING_KEY_FILE": "/nonexistent/key.pem"}, "signing_key --generate /nonexistent/key.pem"),
])
def test_refuses_to_start_without_its_secrets(good, tmp_path, change, message):
    out = load({**good, **change}, tmp_path)
    assert out.returncode != 0
    assert "ImproperlyConfigured" in out.stderr and message in out.stderr


def test_refuses_a_key_others_can_read_or_that_is_not_ed25519(good, key_file, tmp_path):
    key_file.chmod(0o644)
    out = load(good, tmp_path)
    assert out.returncode != 0 and "chmod 600" in out.stderr
    key_file.chmod(0o600)
    key_file.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    out = load(good, tmp_path)
    assert out.returncode != 0 and "not an unencrypted PEM private key" in out.stderr


def test_https_settings_can_be_turned_down_from_the_environment(good, tmp_path):
    out = load({**good, "DJANGO_SECURE_HSTS_SECONDS": "600", "DJANGO_SECURE_SSL_REDIRECT": "0"}, tmp_path)
    assert "HSTS 600 False True True False" in out.stdout, out.stderr


def test_check_deploy_has_no_security_warnings(good, tmp_path):
    out = run(["manage.py", "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"], good, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_signing_key_command_creates_the_key_production_needs(good, tmp_path):
    path = tmp_path / "new" / "signing.pem"
    env = {**good, "ZHONGTAI_SIGNING_KEY_FILE": str(path)}
    out = run(["manage.py", "signing_key", "--generate", str(path)], env, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "BEGIN PUBLIC KEY" in out.stdout
    assert path.stat().st_mode & 0o777 == 0o600
    again = run(["manage.py", "signing_key", "--generate", str(path)], env, tmp_path)
    assert again.returncode != 0 and "refusing to replace" in again.stderr
    assert load(env, tmp_path).returncode == 0
