"""Every route under /api/v1/, read from Django's URL resolver (not from a list kept by hand)."""

from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "api/v1/"


def _walk(patterns: list, prefix: str) -> list[str]:
    routes = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            routes.append(route)
    return routes


def api_routes() -> list[str]:
    """Route strings such as ``api/v1/applications/<int:application_pk>/projects/``."""
    return [
        route for route in _walk(get_resolver().url_patterns, "") if route.startswith(API_PREFIX)
    ]
