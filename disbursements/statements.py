"""Where the interim statements (Zwischennachweise) will answer whether a grantee is overdue.

Wired now so that the submit guard already asks it; the statements arrive with the next issue
(statements and change requests), and until then no statement is ever overdue.
"""

from budgets.grantees import GranteeKey


def interim_statement_overdue(application_id: int, key: GranteeKey) -> bool:
    """Whether the grantee's interim statement of an earlier year is overdue (due 30 April of
    the following year and not received). No statements exist yet, so never."""
    return False
