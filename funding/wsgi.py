import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "funding.settings")

application = get_wsgi_application()

# After setup, before the first request: a missing `collectstatic` stops gunicorn with the reason.
from funding.ops.static_files import require_manifest  # noqa: E402

require_manifest()
