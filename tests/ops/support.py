"""Run manage.py or a snippet in a fresh process with a given environment: settings are read once
per process, so the environment-driven ones can only be tested from outside."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# The documented production environment (deploy/funding.env.example) without the database.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "funding.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://funding.example.org",
    "SECURE_PROXY_SSL_HEADER": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def environment(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # The test run's own settings must not leak into the process under test.
        if not key.startswith(("DJANGO_", "PYTEST_"))
        and key not in {"DEBUG", "DATABASE_URL", "CACHE_URL", "EMAIL_URL"}
    }
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def settings_in(env: dict[str, str], *names: str) -> dict[str, Any]:
    """The named settings as a fresh process with this environment sees them."""
    snippet = (
        "import json, django; from django.conf import settings; "
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'funding.settings'); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    done = run(["-c", snippet], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
