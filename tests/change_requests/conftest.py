"""A running application (the drawdowns' fixture: concept phase 2027-2028 at 100,000.00 a year
for the management organisation, an implementation project in 2028) for change requests."""

from ..applications.conftest import officer_2  # noqa: F401  (fixture)
from ..disbursements.conftest import round_2027, running  # noqa: F401  (fixtures)
