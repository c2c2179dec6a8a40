"""German is complete: every message has a translation, the compiled catalogue in the repository
matches it (a fresh machine needs no gettext), placeholders survive, and messages the code keeps
as constants (translated only where they are used) are translated too."""

import ast
import gettext
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

LOCALE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"
SOURCE_DIRS = (
    "applications",
    "budgets",
    "programmes",
    "competition",
    "disbursements",
    "statements",
    "reports",
    "funding",
    "notifications",
    "monitoring",
)
TRANSLATING = {"_", "gettext", "gettext_lazy", "ngettext", "say", "problem"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def po_entries() -> list[dict]:
    """The entries of the German .po file: msgid, msgid_plural, msgstr (a list), flags."""
    entries: list[dict] = []
    entry: dict = {}
    key = None
    for line in [*(LOCALE / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, None
            continue
        if line.startswith("#,"):
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r'(msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                entry[key] = ast.literal_eval(f'"{match.group(2)}"')
            else:
                entry[key] += ast.literal_eval(line)
    return entries


def translations(entry: dict) -> list[str]:
    return [value for key, value in sorted(entry.items()) if key.startswith("msgstr")]


def test_every_message_has_a_german_translation():
    entries = po_entries()
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", ())]
    assert untranslated == []
    assert fuzzy == []


def test_placeholders_survive_translation():
    wrong = []
    for entry in po_entries():
        expected = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for text in translations(entry):
            if not set(PLACEHOLDER.findall(text)) <= expected or (
                "msgid_plural" not in entry and set(PLACEHOLDER.findall(text)) != expected
            ):
                wrong.append((entry["msgid"], text))
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for entry in po_entries():
        if "msgid_plural" in entry:
            got = [catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            want = [entry["msgstr[0]"], entry["msgstr[1]"]]
        else:
            got, want = [catalogue.gettext(entry["msgid"])], [entry["msgstr"]]
        if got != want:
            stale.append(entry["msgid"])
    assert stale == [], "run: python manage.py compilemessages -l de --ignore=.venv"


def constants_translated_where_used() -> dict[str, str]:
    """Every string constant handed by name to a translation function (``_(TITLE_MISSING)``),
    with where it is used."""
    found: dict[str, str] = {}
    root = Path(settings.BASE_DIR)
    for directory in SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(root).with_suffix("")
            module = ".".join(relative.parts).removesuffix(".__init__")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in TRANSLATING:
                    continue
                for argument in node.args:
                    if isinstance(argument, ast.Name) and argument.id.isupper():
                        value = getattr(importlib.import_module(module), argument.id, None)
                        if isinstance(value, str):
                            found.setdefault(value, f"{module}: {argument.id}")
    return found


def test_constant_messages_have_a_german_translation():
    constants = constants_translated_where_used()
    assert "The application needs a title." in constants  # the scan finds the guards' texts
    with translation.override("de"):
        missing = sorted(where for text, where in constants.items() if _(text) == text)
    assert missing == [], "wrap them in gettext_noop where defined; makemessages; translate"


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("Caps and headroom", "Obergrenzen und Spielraum"),
        ("concept phase", "Konzeptionsphase"),
        ("Submit", "Einreichen"),
    ],
)
def test_key_words_read_as_in_the_programme(english, german):
    with translation.override("de"):
        assert _(english) == german


def catalogue_ids() -> set[str]:
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    return {key if isinstance(key, str) else key[0] for key in catalogue._catalog}


def python_messages() -> dict[str, str]:
    """Literal strings handed to a gettext function in the project's code."""
    functions = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "ngettext"}
    found: dict[str, str] = {}
    root = Path(settings.BASE_DIR)
    for directory in SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                first = node.args[0]
                if name in functions and isinstance(first, ast.Constant) and first.value:
                    found.setdefault(first.value, str(path.relative_to(root)))
    return found


TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
BLOCK_TAG = re.compile(
    r"{%\s*blocktranslate(?P<args>[^%]*)%}(?P<text>.*?){%\s*endblocktranslate\s*%}", re.S
)


def template_messages() -> dict[str, str]:
    """The texts of {% translate %} and {% blocktranslate %} (without plural) in our
    templates, as makemessages writes them."""
    found: dict[str, str] = {}
    root = Path(settings.BASE_DIR)
    for directory in SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            where = str(path.relative_to(root))
            for match in TRANSLATE_TAG.finditer(text):
                found.setdefault(match.group(2), where)
            for match in BLOCK_TAG.finditer(text):
                # A plural form ("count n=…"), not a variable named like submitted_count.
                if re.search(r"\bcount\s", match.group("args")) or "{% plural" in match.group(
                    "text"
                ):
                    continue
                message = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", match.group("text"))
                found.setdefault(message, where)
    return found


def test_every_text_in_the_code_is_in_the_german_catalogue():
    known = catalogue_ids()
    missing = sorted(
        f"{where}: {text}" for text, where in python_messages().items() if text not in known
    )
    assert missing == [], "run makemessages -l de, translate, compilemessages"


def test_every_text_in_the_templates_is_in_the_german_catalogue():
    known = catalogue_ids()
    found = template_messages()
    assert "Caps and headroom" in found  # the scan reads the templates
    missing = sorted(f"{where}: {text}" for text, where in found.items() if text not in known)
    assert missing == [], "run makemessages -l de, translate, compilemessages"
