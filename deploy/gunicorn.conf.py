"""gunicorn settings for the funding system (docs/deployment.md). Every value can be overridden on
the command line or by the environment variable named beside it.

    gunicorn -c deploy/gunicorn.conf.py funding.wsgi
"""

import multiprocessing
import os

wsgi_app = "funding.wsgi"
# Behind nginx on the same machine; GUNICORN_BIND=0.0.0.0:8000 behind a load balancer elsewhere.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: each request holds one worker and one database connection. Two per core
# plus one is gunicorn's rule of thumb; PostgreSQL's max_connections must cover every server's sum.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Large workbooks (exports, imports) take a while; longer jobs belong in the task worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Restart a worker now and then, so a slow leak in any library cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Load the application once in the master: a configuration error (such as a missing
# `collectstatic`) stops gunicorn at start with its message instead of failing in every worker.
preload_app = True
# Which proxies may set X-Forwarded-* (gunicorn's own use; Django reads SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The application writes one JSON line per request (funding.ops.middleware); gunicorn's access
# log would repeat it without the request id and user.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# systemd manages the process (reload: HUP); gunicorn's control socket in $HOME is not needed, and
# two servers on one machine (a release beside the old one, CI beside a developer) share its path.
control_socket_disable = True
