"""The survey's e-mails, one per invitation, sent in the background (`manage.py db_worker`)
once the survey is committed. The task gets only the invitation's id; the link is signed here."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .links import survey_token
from .models import SurveyInvitation


@task()
def send_survey_invitation(invitation_id: int) -> None:
    """Mail one member's single-use link (in the portal's language, with the English below)."""
    invitation = SurveyInvitation.objects.select_related("survey__cluster").get(pk=invitation_id)
    link = settings.PORTAL_URL.rstrip("/") + reverse(
        "monitoring:survey-answer", args=[survey_token(invitation.pk)]
    )
    context = {"survey": invitation.survey, "cluster": invitation.survey.cluster, "link": link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[InterSpiN] A short anonymous survey of %(cluster)s") % {
            "cluster": invitation.survey.cluster
        }
        body = render_to_string("monitoring/email/survey.txt", context)
    send_mail(subject, body, None, [invitation.email])
