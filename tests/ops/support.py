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


def documented_env() -> dict[str, str]:
    """deploy/funding.env.example as systemd reads it (KEY=VALUE, optional double quotes)."""
    env = {}
    for line in (ROOT / "deploy" / "funding.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip().strip('"')
    return env


# The documented production environment; the key, file roots and database are each test's own.
PRODUCTION_ENV = {
    key: value
    for key, value in documented_env().items()
    if key
    not in {"SECRET_KEY", "STATIC_ROOT", "MEDIA_ROOT", "PRIVATE_STORAGE_ROOT", "DATABASE_URL"}
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
