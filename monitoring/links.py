"""The survey's single-use links: the token is the invitation's id, signed with the site's key,
so a guessed or altered link is refused before any lookup."""

from django.core import signing

SURVEY_SALT = "monitoring.survey-invitation"


def survey_token(invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=SURVEY_SALT)


def invitation_id(token: str) -> int | None:
    """The invitation the token was signed for, or None for anything not signed by us."""
    try:
        found = signing.loads(token, salt=SURVEY_SALT)
    except signing.BadSignature:
        return None
    return found if isinstance(found, int) else None
