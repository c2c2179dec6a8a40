"""Every setting a deployment needs comes from the environment (docs/deployment.md)."""

import pytest

from .support import PRODUCTION_ENV, environment, run, settings_in


def test_production_settings_from_the_environment(tmp_path):
    env = environment(
        **{
            **PRODUCTION_ENV,
            "EMAIL_URL": "smtp://mailer:s%40cret@mail.example.org:587?tls=1",
            "DEFAULT_FROM_EMAIL": "funding@example.org",
            "LOG_LEVEL": "warning",
        },
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_STORAGE_ROOT=str(tmp_path / "private"),
        CACHE_URL="redis://cache.internal:6379/1",
    )
    seen = settings_in(
        env,
        "DEBUG",
        "STATIC_ROOT",
        "MEDIA_ROOT",
        "STORAGES",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
        "SERVER_EMAIL",
        "CACHES",
        "LOGGING",
    )
    assert seen["DEBUG"] is False
    assert seen["STATIC_ROOT"] == str(tmp_path / "static")
    assert seen["MEDIA_ROOT"] == str(tmp_path / "media")
    assert seen["STORAGES"]["private"]["OPTIONS"]["location"] == str(tmp_path / "private")
    assert seen["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert seen["CSRF_TRUSTED_ORIGINS"] == ["https://funding.example.org"]
    assert seen["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert seen["SECURE_SSL_REDIRECT"] is True
    assert seen["SECURE_HSTS_SECONDS"] == 31536000
    assert seen["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert seen["SECURE_HSTS_PRELOAD"] is True
    assert seen["SESSION_COOKIE_SECURE"] is True
    assert seen["CSRF_COOKIE_SECURE"] is True
    assert seen["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (seen["EMAIL_HOST"], seen["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert (seen["EMAIL_HOST_USER"], seen["EMAIL_HOST_PASSWORD"]) == ("mailer", "s@cret")
    assert seen["EMAIL_USE_TLS"] is True
    assert seen["DEFAULT_FROM_EMAIL"] == "funding@example.org"
    assert seen["SERVER_EMAIL"] == "funding-errors@example.org"
    assert seen["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }
    assert seen["LOGGING"]["root"]["level"] == "WARNING"
    assert seen["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    assert seen["LOGGING"]["loggers"]["django.server"]["handlers"] == []


def test_demo_defaults_stay_as_they_were():
    """`python3 dev.py serve` sets DEBUG=1 and nothing else: console mail, database cache, plain
    log lines, no HTTPS requirements, the embedded SQLite database."""
    seen = settings_in(
        environment(DEBUG="1"),
        "EMAIL_BACKEND",
        "CACHES",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "DATABASES",
        "LOGGING",
    )
    assert seen["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert seen["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "funding_cache",
    }
    assert seen["SECURE_SSL_REDIRECT"] is False
    assert seen["SECURE_HSTS_SECONDS"] == 0
    assert seen["SESSION_COOKIE_SECURE"] is False
    assert seen["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "formatter" not in seen["LOGGING"]["handlers"]["console"]
    # runserver's request lines stay; the JSON request log is for production.
    assert seen["LOGGING"]["loggers"]["funding.requests"] == {"level": "WARNING"}
    assert "django.server" not in seen["LOGGING"]["loggers"]


def test_email_host_variables_without_a_url():
    seen = settings_in(
        environment(DEBUG="0", EMAIL_HOST="smtp.internal", EMAIL_PORT="2525", EMAIL_USE_TLS="1"),
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
    )
    assert seen == {"EMAIL_HOST": "smtp.internal", "EMAIL_PORT": 2525, "EMAIL_USE_TLS": True}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CACHE_URL", "memcached://x", "CACHE_URL must start with db://"),
        ("EMAIL_URL", "http://mail", "EMAIL_URL must start with smtp://"),
    ],
)
def test_a_malformed_url_is_refused_with_its_rule(name, value, message):
    done = run(
        [
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='funding.settings'; "
            "django.setup()",
        ],
        environment(DEBUG="1", **{name: value}),
    )
    assert done.returncode != 0
    assert message in done.stderr
