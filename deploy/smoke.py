#!/usr/bin/env python3
"""Production smoke test (a stage of .ci/run): the system as a production server runs it.

    python deploy/smoke.py --database postgres://USER:PW@127.0.0.1:5432/funding_smoke

On a fresh PostgreSQL database (dropped and created: the role needs CREATEDB) with DEBUG off and
the documented production settings: collectstatic, migrate, load the demo, `check --deploy
--fail-level WARNING`; gunicorn with 4 workers on 127.0.0.1 (and the task worker
`manage.py db_worker` when django-tasks is installed); then over HTTP: /health/, the portal login
form (CSRF), pages and their hashed CSS, the API token login, a JSON request log line; then the
bounded load test (bench/loadtest.py, 20 users for 60 s by default) failing on any 5xx, and the
backup restore drill (deploy/restore_check.py) on the database the load test wrote to.

The TLS proxy in front of a production server is simulated: the server trusts X-Forwarded-Proto
(SECURE_PROXY_SSL_HEADER) and the client sends it, so HTTPS redirects, HSTS and secure cookies are
the production ones. Exit code 0 when every step passed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "deploy")]

import loadtest  # noqa: E402
import restore_check  # noqa: E402

PYTHON = sys.executable
HASHED_CSS = re.compile(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SmokeFailure(Exception):
    pass


def step(message: str) -> None:
    print(f"\n--> smoke: {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)
    print(f"    ok: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_env(database: str, port: int, directory: Path) -> dict[str, str]:
    """The documented production settings (deploy/funding.env.example) on this machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database,
        DATABASE_CONN_MAX_AGE="60",
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        SECURE_PROXY_SSL_HEADER="1",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1",
        STATIC_ROOT=str(directory / "static"),
        MEDIA_ROOT=str(directory / "media"),
        PRIVATE_STORAGE_ROOT=str(directory / "private"),
        EMAIL_URL="smtp://127.0.0.1:25",
        DEFAULT_FROM_EMAIL="funding@example.org",
        LOG_LEVEL="INFO",
        # Every export goes to the background here, so the smoke follows one from request to
        # download through the worker.
        EXPORT_BACKGROUND_LINES="1",
    )
    env.pop("LOG_PLAIN", None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=False)
    if done.returncode:
        raise SmokeFailure(f"manage.py {' '.join(args)} exited with {done.returncode}")


def has_command(env: dict[str, str], name: str) -> bool:
    done = subprocess.run(
        [PYTHON, "manage.py", "help", name], cwd=ROOT, env=env, capture_output=True, check=False
    )
    return done.returncode == 0


@contextmanager
def running(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class ProxiedSession(requests.Session):
    """Talks plain HTTP to the loopback as the TLS proxy does, so it sends the secure cookies
    that a browser would only send over HTTPS (one host: every cookie goes)."""

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        prepared = super().prepare_request(request)
        if self.cookies:
            prepared.headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        return prepared


def browser() -> requests.Session:
    session = ProxiedSession()
    session.headers["X-Forwarded-Proto"] = "https"
    return session


def wait_for_health(base: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SmokeFailure(f"gunicorn exited with {server.returncode}")
        try:
            response = requests.get(f"{base}/health/", timeout=5)
        except requests.ConnectionError:
            time.sleep(0.5)
            continue
        check(response.status_code == 200, f"/health/ answers 200: {response.text}")
        check(set(response.json()["checks"].values()) == {"ok"}, "every health check is ok")
        return
    raise SmokeFailure(f"gunicorn did not answer within {seconds:g} s")


def portal(base: str) -> None:
    https_base = base.replace("http://", "https://")
    session = browser()
    plain = requests.get(f"{base}/accounts/login/", allow_redirects=False, timeout=10)
    check(
        plain.status_code == 301 and plain.headers["Location"].startswith("https://"),
        "plain HTTP is redirected to HTTPS",
    )
    form = session.get(f"{base}/accounts/login/", timeout=10)
    check(form.status_code == 200, "the login form answers 200")
    check("max-age=31536000" in form.headers.get("Strict-Transport-Security", ""), "HSTS header")
    csrf = CSRF_FIELD.search(form.text)
    check(csrf is not None, "the login form carries a CSRF token")
    assert csrf is not None
    refused = session.post(
        f"{base}/accounts/login/",
        data={"username": "officer", "password": "demo-officer"},
        headers={"Referer": f"{https_base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    check(refused.status_code == 403, "a login without the CSRF token is refused (403)")
    logged_in = session.post(
        f"{base}/accounts/login/",
        data={
            "username": "officer",
            "password": "demo-officer",
            "csrfmiddlewaretoken": csrf.group(1),
        },
        headers={"Referer": f"{https_base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    check(logged_in.status_code == 302, "the officer logs in through the form")
    cookie = next(c for c in session.cookies if c.name == "sessionid")
    check(bool(cookie.secure), "the session cookie is secure")
    stylesheets: set[str] = set()
    for path in ("/", "/applications/", "/rounds/", "/admin/"):
        page = session.get(f"{base}{path}", timeout=30)
        check(page.status_code == 200, f"{path} answers 200")
        stylesheets |= set(HASHED_CSS.findall(page.text))
    check(bool(stylesheets), f"the pages link hashed stylesheets: {sorted(stylesheets)}")
    for href in sorted(stylesheets):
        css = session.get(f"{base}{href}", timeout=10)
        check(css.status_code == 200 and "css" in css.headers["Content-Type"], f"{href} answers")
        check("immutable" in css.headers.get("Cache-Control", ""), f"{href} is cached for good")


def api(base: str) -> None:
    session = browser()
    login = session.post(
        f"{base}/api/v1/auth/login/",
        json={"username": "biom", "password": "demo-biom"},
        timeout=10,
    )
    check(login.status_code == 200 and "token" in login.json(), "API token login")
    me = session.get(
        f"{base}/api/v1/auth/me/",
        headers={"Authorization": f"Token {login.json()['token']}"},
        timeout=10,
    )
    check(me.status_code == 200 and me.json().get("username") == "biom", "the token works")


def on_loopback(base: str, url: str) -> str:
    """An absolute URL the app gave (https, as behind the proxy) as the loopback serves it."""
    return base + urlsplit(url).path


def background_workbook(base: str, seconds: float = 120) -> None:
    """A round workbook requested through the API and the page: a job whose progress the status
    resource and the page report, built by the task worker, then downloaded."""
    session = browser()
    login = session.post(
        f"{base}/api/v1/auth/login/",
        json={"username": "officer", "password": "demo-officer"},
        timeout=10,
    )
    check(login.status_code == 200, "the officer's API token login")
    session.headers["Authorization"] = f"Token {login.json()['token']}"
    rounds = session.get(f"{base}/api/v1/rounds/", timeout=10).json()["results"]
    round_id = rounds[0]["id"]
    asked = session.get(f"{base}/api/v1/rounds/{round_id}/budget.xlsx", timeout=30)
    check(asked.status_code == 202, f"the round workbook is a background job (202): {asked.text}")
    status_url = on_loopback(base, asked.headers["Location"])
    deadline = time.monotonic() + seconds
    status = session.get(status_url, timeout=10).json()
    while status["state"] not in {"done", "failed"} and time.monotonic() < deadline:
        time.sleep(0.5)
        status = session.get(status_url, timeout=10).json()
    check(status["state"] == "done", f"the worker built the workbook: {status}")
    download = session.get(on_loopback(base, status["download_url"]), timeout=30)
    check(
        download.status_code == 200 and download.content[:2] == b"PK",
        "the finished workbook is downloaded (an xlsx file)",
    )
    page_session = browser()
    form = page_session.get(f"{base}/accounts/login/", timeout=10)
    csrf = CSRF_FIELD.search(form.text)
    assert csrf is not None
    page_session.post(
        f"{base}/accounts/login/",
        data={"username": "officer", "password": "demo-officer", "csrfmiddlewaretoken": csrf[1]},
        headers={"Referer": f"{base.replace('http://', 'https://')}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    redirected = page_session.get(
        f"{base}/rounds/{round_id}/workbook/", allow_redirects=False, timeout=30
    )
    check(redirected.status_code == 302, "the page hands the workbook to a background job")
    job_page = page_session.get(on_loopback(base, redirected.headers["Location"]), timeout=10)
    check(
        job_page.status_code == 200 and "<progress" in job_page.text,
        "the job's page shows its progress",
    )


def request_log(log: Path) -> None:
    lines = [line for line in log.read_text().splitlines() if '"request_id"' in line]
    check(bool(lines), "the server writes JSON request log lines")
    entry = json.loads(lines[-1])
    check(
        {"request_id", "user_id", "method", "path", "status", "duration_ms"} <= entry.keys(),
        f"a request log line holds id, user, method, path, status, duration: {lines[-1]}",
    )


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def smoke(args: argparse.Namespace, directory: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = production_env(args.database, port, directory)

    step(f"a fresh database {restore_check.libpq_env(args.database)[1]}")
    restore_check.recreate(args.database)
    step("collectstatic, migrate, the demo data, check --deploy")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_interspin", "--force")
    manage(env, "check", "--deploy", "--fail-level", "WARNING")

    step(f"gunicorn with {args.workers} workers on {base}")
    gunicorn = [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
    gunicorn += ["--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"]
    server_log = directory / "gunicorn.log"
    worker_log = directory / "worker.log"
    with running(gunicorn, env, server_log) as server:
        worker_command = [PYTHON, "manage.py", "db_worker"]
        tasks = has_command(env, "db_worker")
        print(f"    the task worker: {'started' if tasks else 'not installed (django-tasks)'}")
        with running(worker_command, env, worker_log) if tasks else nullcontext():
            try:
                wait_for_health(base, server)
                step("the portal: login form, pages, hashed CSS")
                portal(base)
                step("the API: token login")
                api(base)
                if tasks:
                    step("a background workbook: request, progress, download")
                    background_workbook(base)
                request_log(server_log)
                step(f"load test: {args.users} users for {args.duration:g} s")
                results = loadtest.run(
                    base, args.users, args.duration, forwarded_https=True, say=print
                )
                loadtest.report(results)
                check(results.server_errors() == 0, "no 5xx answers under load")
                check(not results.failures, "no failed requests under load")
            except BaseException:
                print("\n--- gunicorn log (last 60 lines) ---")
                print("\n".join(server_log.read_text().splitlines()[-60:]))
                raise

    step("backup restore drill")
    name = restore_check.libpq_env(args.database)[1]
    target = with_database(args.database, f"{name}_restore")
    done = subprocess.run(
        [PYTHON, "deploy/restore_check.py", "--source", args.database, "--target", target],
        cwd=ROOT,
        env=env,
        check=False,
    )
    check(done.returncode == 0, "the restored database matches")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="postgres:// URL (recreated)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="funding-smoke-") as directory:
        try:
            smoke(args, Path(directory))
        except (SmokeFailure, loadtest.LoadTestError) as failure:
            print(f"\nsmoke: FAILED: {failure}", file=sys.stderr)
            return 1
    print("\nsmoke: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
