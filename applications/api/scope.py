from typing import Any

from django.shortcuts import get_object_or_404

from ..access import applications_visible_to
from ..models import Application


class ApplicationScoped:
    """Views under ``applications/<application_pk>/``: the application must be one the user may
    read, or the answer is 404 (another cluster's application does not exist for them)."""

    kwargs: dict[str, Any]
    request: Any

    def get_application(self) -> Application:
        cached: Application | None = getattr(self, "_application", None)
        if cached is None:
            visible = applications_visible_to(self.request.user).with_programme()
            cached = get_object_or_404(visible, pk=self.kwargs["application_pk"])
            self._application = cached
        return cached

    @property
    def is_schema_view(self) -> bool:
        """drf-spectacular builds the schema with a stand-in view that has no real request."""
        return bool(getattr(self, "swagger_fake_view", False))
