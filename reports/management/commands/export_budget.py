"""``manage.py export_budget``: the budget workbooks from the command line (e.g. a scheduler).

    export_budget application 12 [--output FILE]
    export_budget round [--programme InterSpiN] --round 1
    export_budget lines [--programme P] [--round N] [--cluster NAME] [--state S ...]
    export_budget template 12

``--round N`` needs ``--programme`` only when more than one programme has a round N.

An operator command: it exports everything unless ``--user NAME`` asks for what that user may
read. ``--language de|en`` chooses the headings (default: the site's language).
"""

import os
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.access import budget_lines_visible_to
from applications.models import Application
from applications.states import state_labels
from budgets.models import BudgetLine
from budgets.workbooks import (
    application_workbook,
    application_workbook_filename,
    budget_template_data,
    budget_template_filename,
    export_budget_lines,
    export_budget_lines_filename,
    write_budget_template,
)
from programmes import access
from programmes.models import Cluster, Programme, Round

from ...round_workbook import round_workbook, round_workbook_filename

NOT_FOUND = "%(what)s %(key)s does not exist."
NOT_VISIBLE = "%(user)s may not read application %(key)s."
NO_ROUND = gettext_noop("No programme has a round %(number)s.")
ROUND_AMBIGUOUS = gettext_noop(
    "Round %(number)s is ambiguous: %(programmes)s each have a round %(number)s. "
    "Say which with --programme."
)
ROUND_HELP = "Round number; --programme too when more than one programme has this round."


class Command(BaseCommand):
    help = "Export budget workbooks: an application, a round, the flat budget lines, a template."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="Export what this user may read (default: all).")
        parser.add_argument("--language", choices=["de", "en"], help="Language of the headings.")
        parser.add_argument("--output", help="The file to write (default: a descriptive name).")
        exports = parser.add_subparsers(dest="export", required=True)
        for name, help_text in (
            ("application", "the budget workbook of one application"),
            ("template", "the budget template of one application, to fill in and import"),
        ):
            sub = exports.add_parser(name, help=help_text)
            sub.add_argument("application_id", type=int)
        round_parser = exports.add_parser("round", help="the round workbook for the funding body")
        round_parser.add_argument("--programme", help="Programme short name.")
        round_parser.add_argument("--round", type=int, required=True, help=ROUND_HELP)
        lines = exports.add_parser("lines", help="every budget line of a filter, one row each")
        lines.add_argument("--programme", help="Programme short name.")
        lines.add_argument("--round", type=int, help=ROUND_HELP)
        lines.add_argument("--cluster", help="Cluster name.")
        lines.add_argument("--state", action="append", default=[], help="Application state.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        with translation.override(options["language"] or translation.get_language()):
            export = {
                "application": self._export_application,
                "template": self._export_template,
                "round": self._export_round,
                "lines": self._export_lines,
            }[options["export"]]
            path = export(user, options)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))

    def _user(self, username: str | None) -> Any:
        if username is None:
            return None
        try:
            return get_user_model()._default_manager.get_by_natural_key(username)
        except get_user_model().DoesNotExist as missing:
            raise CommandError(NOT_FOUND % {"what": "User", "key": username}) from missing

    def _application(self, user: Any, key: int) -> Application:
        application: Application | None = (
            Application.objects.with_programme().filter(pk=key).first()
        )
        if application is None:
            raise CommandError(NOT_FOUND % {"what": "Application", "key": key})
        if user is not None and not access.can_read_cluster(user, application.cluster_id):
            raise CommandError(NOT_VISIBLE % {"user": user, "key": key})
        return application

    def _round(self, options: dict[str, Any]) -> Round | None:
        """The round numbered ``--round`` of ``--programme``, or of the one programme that has
        a round of that number."""
        number = options.get("round")
        if number is None:
            return None
        rounds = Round.objects.select_related("programme").filter(number=number)
        programme = options.get("programme")
        if programme:
            found = rounds.filter(programme__short_name=programme).first()
            if found is None:
                key = f"{programme} R{number}"
                raise CommandError(NOT_FOUND % {"what": "Round", "key": key})
            return found
        candidates = list(rounds.order_by("programme__short_name"))
        if not candidates:
            raise CommandError(_(NO_ROUND) % {"number": number})
        if len(candidates) > 1:
            names = ", ".join(candidate.programme.short_name for candidate in candidates)
            raise CommandError(_(ROUND_AMBIGUOUS) % {"number": number, "programmes": names})
        return candidates[0]

    def _output(self, options: dict[str, Any], default: str) -> Path:
        return Path(options["output"] or default)

    def _written(self, path: Path, write: Any) -> Path:
        """Write next to ``path`` first and move it into place when complete, so a scheduler
        never picks up half a file."""
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as stream:
                write(stream)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        return path

    def _export_application(self, user: Any, options: dict[str, Any]) -> Path:
        application = self._application(user, options["application_id"])
        path = self._output(options, application_workbook_filename(application))
        return self._written(path, application_workbook(application, by=user).save)

    def _export_template(self, user: Any, options: dict[str, Any]) -> Path:
        application = self._application(user, options["application_id"])
        path = self._output(options, budget_template_filename(application))
        data = budget_template_data(application, by=user)
        return self._written(path, lambda stream: write_budget_template(data, stream))

    def _export_round(self, user: Any, options: dict[str, Any]) -> Path:
        round_ = self._round(options)
        assert round_ is not None  # --round is required here
        path = self._output(options, round_workbook_filename(round_))
        return self._written(path, round_workbook(round_, by=user).save)

    def _export_lines(self, user: Any, options: dict[str, Any]) -> Path:
        programme = None
        if options["programme"]:
            programme = Programme.objects.filter(short_name=options["programme"]).first()
            if programme is None:
                raise CommandError(NOT_FOUND % {"what": "Programme", "key": options["programme"]})
        round_ = self._round(options)
        cluster = None
        if options["cluster"]:
            cluster = Cluster.objects.filter(name=options["cluster"]).first()
            if cluster is None:
                raise CommandError(NOT_FOUND % {"what": "Cluster", "key": options["cluster"]})
        filters = {
            "programme": programme,
            "round": round_,
            "cluster": cluster,
            "states": options["state"],
        }
        path = self._output(options, export_budget_lines_filename(**filters))

        def progress(count: int) -> None:
            self.stdout.write(f"{count:,} lines written")

        def write(stream: Any) -> None:
            result = export_budget_lines(
                stream,
                by=user,
                lines=BudgetLine.objects.all() if user is None else budget_lines_visible_to(user),
                state_labels=state_labels(),
                on_progress=progress,
                **filters,
            )
            self.stdout.write(f"{result.line_count:,} lines in {len(result.sheet_titles)} sheet(s)")

        return self._written(path, write)
