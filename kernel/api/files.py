"""How the API's workbook downloads appear in the schema."""

from drf_spectacular.types import OpenApiTypes

from kernel.downloads import XLSX

# For extend_schema(responses=...): a workbook on success; errors keep their JSON shape.
XLSX_RESPONSE = {(200, XLSX): OpenApiTypes.BINARY}
