"""The budget import over the API as JSON: the upload, the preview (every row's change, every
problem by sheet, row and column, the budget's figures after it) and the result."""

from typing import Any

from rest_framework import serializers

from ..imports import Action, Code, ImportResult, Preview, Problem
from .serializers import BudgetSummarySerializer


class BudgetImportUpload(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(
        allow_empty_file=True, help_text="The filled-in template (.xlsx), at most 10 MB."
    )


class BudgetImportConfirmation(BudgetImportUpload):
    """The previewed file again, with its preview's token: the server keeps no upload."""

    file = serializers.FileField(
        allow_empty_file=True, help_text="The same file as previewed (compared by its digest)."
    )
    token = serializers.CharField(
        max_length=2000, help_text="The preview's token; valid for an hour, for you only."
    )


class ImportProblemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Why (part of) the file cannot be imported, and where; sheet, row and column are null
    for the whole file."""

    code = serializers.CharField(
        help_text=(
            "Why: one of " + ", ".join(Code) + "; or the name of the budget rule the import "
            "would break (e.g. implementation_cap)."
        )
    )
    message = serializers.CharField(help_text="In the request's language.")
    sheet = serializers.CharField(allow_null=True)
    row = serializers.IntegerField(allow_null=True, help_text="As the spreadsheet numbers it.")
    column = serializers.CharField(allow_null=True, help_text="The column's letter.")
    heading = serializers.CharField(allow_null=True)
    rows = serializers.ListField(
        child=serializers.IntegerField(), help_text="Further rows a broken budget rule concerns."
    )
    location = serializers.CharField(help_text="Sheet, row and column in words.")

    def to_representation(self, instance: Problem) -> dict[str, Any]:
        return {
            "code": instance.code,
            "message": instance.message,
            "sheet": instance.sheet,
            "row": instance.row,
            "column": instance.column,
            "heading": instance.heading,
            "rows": list(instance.rows),
            "location": instance.location,
        }


class ImportFieldChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.CharField(help_text="The column's heading.")
    old = serializers.CharField()
    new = serializers.CharField()


class ImportRowChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    action = serializers.ChoiceField(choices=[action.value for action in Action])
    description = serializers.CharField(help_text="The line: phase, project, grantee, year…")
    sheet = serializers.CharField(allow_null=True)
    row = serializers.IntegerField(
        allow_null=True, help_text="null for a line the file leaves out (deleted)."
    )
    changes = ImportFieldChangeSerializer(many=True)


class ImportCountsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """How many lines the import creates, changes, deletes and leaves as they are."""

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        # ``create`` is a method of every Serializer, so the counts are added by name.
        return {action.value: serializers.IntegerField() for action in Action}


def _counts(rows: Any) -> dict[str, int]:
    return {action.value: sum(1 for row in rows if row.action == action) for action in Action}


class BudgetImportPreviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A clean preview: what the import would do, and the token that confirms it."""

    token = serializers.CharField(help_text="Send it with the same file to confirm.")
    counts = ImportCountsSerializer()
    rows = ImportRowChangeSerializer(many=True)
    budget = BudgetSummarySerializer(
        help_text="Every figure of the budget as the import would leave it."
    )

    def to_representation(self, instance: Preview) -> dict[str, Any]:
        return {
            "token": instance.token,
            "counts": _counts(instance.rows),
            "rows": ImportRowChangeSerializer(instance.rows, many=True).data,
            "budget": BudgetSummarySerializer(instance.summary).data,
        }


class BudgetImportRefusalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A refused upload (413, 415, 422) or confirmation (409, 422); nothing was written.
    ``code`` and ``detail`` are those of the first problem."""

    code = serializers.CharField()
    detail = serializers.CharField()
    # Not required: a request that is no upload at all gets the plain error shape.
    problems = ImportProblemSerializer(many=True, required=False)
    rows = ImportRowChangeSerializer(
        many=True,
        required=False,
        help_text="What each row that could be read would do; empty for the file.",
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        problems: list[Problem] = list(instance.problems)
        return {
            "code": problems[0].code,
            "detail": problems[0].message,
            "problems": ImportProblemSerializer(problems, many=True).data,
            "rows": ImportRowChangeSerializer(getattr(instance, "rows", ()), many=True).data,
        }


class BudgetImportResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    counts = ImportCountsSerializer()
    rows = ImportRowChangeSerializer(many=True)

    def to_representation(self, instance: ImportResult) -> dict[str, Any]:
        return {
            "counts": {
                "create": instance.created,
                "change": instance.changed,
                "delete": instance.deleted,
                "unchanged": instance.unchanged,
            },
            "rows": ImportRowChangeSerializer(instance.rows, many=True).data,
        }
