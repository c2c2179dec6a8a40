"""The REST API under /api/v1/: authentication, errors, pagination and schema shared by every app.

Each app keeps its own ``<app>/api/`` package (serializers for input shape, views that parse,
authorise, call a service and serialise) and an ``urls.py`` that ``funding.api.urls`` includes.
"""
