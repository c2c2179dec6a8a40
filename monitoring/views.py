"""The portal's pages of the cluster as a whole. Thin: access from ``access``, writes through
``services``, figures from ``selectors``, charts from ``charts``."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budgets.imports.problems import ImportRefused, refusal_status
from kernel.downloads import xlsx_response
from programmes.access import is_officer
from programmes.models import Cluster, Programme

from . import access, charts, selectors
from .forms import (
    ActivityForm,
    ContactForm,
    ContactFormSet,
    MemberForm,
    MembersUploadForm,
    OutcomeForm,
    SurveyAnswerForm,
)
from .models import Activity
from .services import (
    ActivityInput,
    ContactInput,
    MemberInput,
    OutcomeInput,
    SurveyLinkInvalid,
    activity_record,
    contact_add,
    member_create,
    members_check,
    members_import,
    outcome_add,
    survey_answer,
    survey_invitation_for,
    survey_send,
    surveys_send_to_all,
)
from .services import (
    ImportRefused as RowsRefused,
)
from .workbooks import (
    indicators_filename,
    indicators_workbook,
    located,
    members_template,
    read_members,
)

PROGRAMME_ONLY = gettext_noop("Only ministry officers and auditors see the programme's figures.")
MEMBER_ADDED = gettext_noop("“%(name)s” was added.")
MEMBERS_IMPORTED = gettext_noop("%(count)s members were added.")
ACTIVITY_RECORDED = gettext_noop("The activity was recorded.")
CONTACT_ADDED = gettext_noop("The contact was added.")
OUTCOME_ADDED = gettext_noop("The outcome was added.")
SURVEY_SENT = gettext_noop("The survey was sent to %(count)s addresses.")
SURVEYS_SENT = gettext_noop(
    "The survey was sent to the members of %(count)s of %(clusters)s clusters (those with "
    "contact addresses)."
)
PREVIEW_EXPIRED = gettext_noop("The preview has expired or was altered: upload the file again.")
IMPORT_SALT = "monitoring.members-import"
PREVIEW_MAX_AGE = 3600


def _cluster(user: Any, pk: int) -> Cluster:
    """The cluster if ``user`` may read its members and activities; else absent (404)."""
    cluster: Cluster = get_object_or_404(access.clusters_monitored_by(user), pk=pk)
    return cluster


def _writable_cluster(user: Any, pk: int) -> Cluster:
    cluster = _cluster(user, pk)
    if not access.can_write(user, cluster):
        raise PermissionDenied
    return cluster


def _activity(user: Any, pk: int) -> Activity:
    activity: Activity = get_object_or_404(
        selectors.activity_detail(access.activities_visible_to(user)), pk=pk
    )
    return activity


def _programme_of(cluster: Cluster, request: HttpRequest) -> Programme:
    programme = selectors.programme_for(cluster, request.GET.get("programme"))
    if programme is None:
        raise Http404
    return programme


def _errors_into(form: Any, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@login_required
@require_GET
def index_view(request: HttpRequest) -> HttpResponse:
    """Officers and auditors: the programmes and clusters; a cluster management: its own."""
    user = request.user
    if not access.can_read_programme(user):
        own = access.clusters_monitored_by(user).first()
        if own is None:
            raise Http404
        return redirect("monitoring:cluster", own.pk)
    return render(
        request,
        "monitoring/index.html",
        {
            "programmes": Programme.objects.order_by("name"),
            "clusters": access.clusters_monitored_by(user).order_by("name"),
        },
    )


@login_required
@require_GET
def dashboard_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's indicators with charts drawn on the server."""
    if not access.can_read_programme(request.user):
        raise PermissionDenied(_(PROGRAMME_ONLY))
    programme = get_object_or_404(Programme, pk=pk)
    figures = selectors.programme_indicators(programme)
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "figures": figures,
            "charts": charts.programme_charts(figures),
            "can_send": is_officer(request.user),
        },
    )


@login_required
@require_GET
def programme_workbook_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_read_programme(request.user):
        raise PermissionDenied(_(PROGRAMME_ONLY))
    figures = selectors.programme_indicators(get_object_or_404(Programme, pk=pk))
    return xlsx_response(indicators_workbook(figures), indicators_filename(figures))


@login_required
@require_GET
def cluster_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The cluster against the programme's median, its activities and its surveys."""
    cluster = _cluster(request.user, pk)
    programme = _programme_of(cluster, request)
    figures = selectors.cluster_indicators(cluster, programme)
    return render(
        request,
        "monitoring/cluster.html",
        {
            "cluster": cluster,
            "figures": figures,
            "charts": charts.cluster_charts(figures),
            "activities": selectors.activities_of(cluster),
            "surveys": selectors.surveys_of(cluster),
            "can_write": access.can_write(request.user, cluster),
        },
    )


@login_required
@require_GET
def members_view(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster(request.user, pk)
    return render(
        request,
        "monitoring/members.html",
        {
            "cluster": cluster,
            "members": selectors.members_of(cluster),
            "can_write": access.can_write(request.user, cluster),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _writable_cluster(request.user, pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = member_create(
                cluster=cluster, given=MemberInput(**form.cleaned_data), by=request.user
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _(MEMBER_ADDED) % {"name": member.name})
            return redirect("monitoring:members", cluster.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "monitoring/member_form.html", {"cluster": cluster, "form": form}, status=status
    )


@login_required
@require_GET
def member_template_view(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _writable_cluster(request.user, pk)
    return xlsx_response(members_template(), f"members-{cluster.pk}.xlsx")


def _import_key(request: HttpRequest, cluster: Cluster) -> str:
    return f"{IMPORT_SALT}:{request.user.pk}:{cluster.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def member_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload, then a preview of every row and every problem; nothing is written here."""
    cluster = _writable_cluster(request.user, pk)
    form = MembersUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"cluster": cluster, "form": form}
    if request.method != "POST":
        return render(request, "monitoring/member_import.html", context)
    if not form.is_valid():
        return render(request, "monitoring/member_import.html", context, status=400)
    upload = form.cleaned_data["file"]
    try:
        rows = read_members(upload, filename=upload.name)
    except ImportRefused as refused:
        context["problems"] = [str(problem) for problem in refused.problems]
        return render(
            request,
            "monitoring/member_import.html",
            context,
            status=refusal_status(refused.problems),
        )
    problems = members_check(cluster, rows)
    context["rows"] = rows
    context["problems"] = located(problems)
    if not problems:
        payload = [(number, given.__dict__) for number, given in rows]
        context["token"] = signing.dumps(payload, salt=_import_key(request, cluster), compress=True)
    return render(
        request, "monitoring/member_import.html", context, status=422 if problems else 200
    )


@login_required
@require_POST
def member_import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the previewed rows, all or none (checked again under the cluster's lock)."""
    cluster = _writable_cluster(request.user, pk)
    try:
        payload = signing.loads(
            request.POST.get("token", ""),
            salt=_import_key(request, cluster),
            max_age=PREVIEW_MAX_AGE,
        )
    except signing.BadSignature:
        messages.error(request, _(PREVIEW_EXPIRED))
        return redirect("monitoring:member-import", cluster.pk)
    rows = [(number, MemberInput(**given)) for number, given in payload]
    try:
        created = members_import(cluster=cluster, rows=rows, by=request.user)
    except RowsRefused as refused:
        context = {"cluster": cluster, "form": MembersUploadForm(), "rows": rows}
        context["problems"] = located(refused.problems)
        return render(request, "monitoring/member_import.html", context, status=409)
    messages.success(request, _(MEMBERS_IMPORTED) % {"count": len(created)})
    return redirect("monitoring:members", cluster.pk)


def _contact_of(form: ContactForm) -> ContactInput:
    return ContactInput(
        partner_name=form.cleaned_data["partner_name"],
        country=form.cleaned_data["country"],
        is_known_partner=form.cleaned_data["known"] == "known",
        member=form.cleaned_data.get("member"),
    )


def _contacts(formset: Any) -> list[ContactInput]:
    """The filled-in rows of the contacts; the blank ones are left out."""
    return [_contact_of(form) for form in formset.forms if form.has_changed() and form.cleaned_data]


@login_required
@require_http_methods(["GET", "POST"])
def activity_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an activity with its participants and the contacts made."""
    cluster = _writable_cluster(request.user, pk)
    data = request.POST or None
    form = ActivityForm(data, cluster=cluster)
    contacts = ContactFormSet(data, form_kwargs={"cluster": cluster}, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        given = {**form.cleaned_data, "participants": list(form.cleaned_data["participants"])}
        try:
            activity = activity_record(
                cluster=cluster,
                given=ActivityInput(**given, contacts=_contacts(contacts)),
                by=request.user,
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _(ACTIVITY_RECORDED))
            return redirect("monitoring:activity", activity.pk)
    return render(
        request,
        "monitoring/activity_form.html",
        {"cluster": cluster, "form": form, "contacts": contacts},
        status=400 if request.method == "POST" else 200,
    )


def _activity_page(
    request: HttpRequest,
    activity: Activity,
    *,
    contact_form: ContactForm | None = None,
    outcome_form: OutcomeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "monitoring/activity.html",
        {
            "activity": activity,
            "cluster": activity.cluster,
            "can_write": access.can_write(request.user, activity.cluster),
            "contact_form": contact_form or ContactForm(cluster=activity.cluster),
            "outcome_form": outcome_form or OutcomeForm(),
        },
        status=status,
    )


@login_required
@require_GET
def activity_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, _activity(request.user, pk))


@login_required
@require_POST
def contact_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request.user, pk)
    if not access.can_write(request.user, activity.cluster):
        raise PermissionDenied
    form = ContactForm(request.POST, cluster=activity.cluster)
    if form.is_valid():
        try:
            contact_add(activity=activity, given=_contact_of(form), by=request.user)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _(CONTACT_ADDED))
            return redirect("monitoring:activity", activity.pk)
    return _activity_page(request, activity, contact_form=form, status=400)


@login_required
@require_POST
def outcome_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request.user, pk)
    if not access.can_write(request.user, activity.cluster):
        raise PermissionDenied
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            outcome_add(activity=activity, given=OutcomeInput(**form.cleaned_data), by=request.user)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _(OUTCOME_ADDED))
            return redirect("monitoring:activity", activity.pk)
    return _activity_page(request, activity, outcome_form=form, status=400)


@login_required
@require_POST
def survey_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _writable_cluster(request.user, pk)
    programme = _programme_of(cluster, request)
    try:
        survey = survey_send(programme=programme, cluster=cluster, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        count = survey.invitations.count()
        messages.success(request, _(SURVEY_SENT) % {"count": count})
    return redirect("monitoring:cluster", cluster.pk)


@login_required
@require_POST
def survey_send_all_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer sends the survey to the members of every cluster of the programme."""
    programme = get_object_or_404(Programme, pk=pk)
    clusters = list(selectors.programme_clusters(programme))
    count = surveys_send_to_all(programme=programme, clusters=clusters, by=request.user)
    messages.success(request, _(SURVEYS_SENT) % {"count": count, "clusters": len(clusters)})
    return redirect("monitoring:dashboard", programme.pk)


@require_http_methods(["GET", "POST"])
def survey_answer_view(request: HttpRequest, token: str) -> HttpResponse:
    """The anonymous survey behind a single-use link: no login. A used, expired or unknown
    link answers 404 with a plain page saying so, whatever the reason."""
    try:
        invitation = survey_invitation_for(token)
    except SurveyLinkInvalid:
        return render(request, "monitoring/survey_closed.html", status=404)
    form = SurveyAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = form.cleaned_data
        try:
            survey_answer(
                token=token,
                knows_measure=answers["knows_measure"] == "yes",
                knows_strategy=answers["knows_strategy"] == "yes",
                took_part=answers["took_part"] == "yes",
                contacts_abroad=answers["contacts_abroad"],
            )
        except SurveyLinkInvalid:
            return render(request, "monitoring/survey_closed.html", status=404)
        return render(request, "monitoring/survey_thanks.html")
    return render(
        request,
        "monitoring/survey.html",
        {"form": form, "cluster": invitation.survey.cluster, "survey": invitation.survey},
        status=400 if request.method == "POST" else 200,
    )
