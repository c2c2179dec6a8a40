"""When two organisation names mean the same organisation: the same words, whatever their case
and spacing, once the legal-form suffix is dropped ("Sensorik Dresden GmbH" is "sensorik
dresden"). Pure functions; the duplicate check of ``programmes.services`` compares these keys.

A change to these rules changes the keys stored in ``Organisation.name_key``: recompute them in
a data migration.
"""

import re
import unicodedata

# Legal-form suffixes, longest first so "GmbH & Co. KG" is dropped whole. Dots and spaces inside
# a suffix are optional ("e.V.", "e. V.", "eV"); several may follow each other ("AG & Co. KGaA").
_SUFFIXES = (
    r"gmbh\s*&\s*co\.?\s*kg(?:aa)?",
    r"ag\s*&\s*co\.?\s*kg(?:aa)?",
    r"ug\s*\(haftungsbeschr(?:ä|ae)nkt\)",
    r"ug\s*\(h\.?\s*b\.?\)",
    r"ggmbh",
    r"gmbh",
    r"mbh",
    r"kgaa",
    r"ohg",
    r"gbr",
    r"e\.?\s*g\.?",
    r"e\.?\s*v\.?",
    r"ug",
    r"ag",
    r"se",
    r"kg",
    r"ltd\.?",
    r"limited",
    r"plc\.?",
    r"inc\.?",
    r"incorporated",
    r"llc\.?",
    r"l\.?\s*l\.?\s*c\.?",
    r"corp\.?",
    r"corporation",
    r"co\.?",
    r"s\.?\s*a\.?\s*s\.?",
    r"s\.?\s*a\.?\s*r\.?\s*l\.?",
    r"s\.?\s*p\.?\s*a\.?",
    r"s\.?\s*r\.?\s*l\.?",
    r"s\.?\s*l\.?",
    r"s\.?\s*a\.?",
    r"b\.?\s*v\.?",
    r"n\.?\s*v\.?",
    r"a/s",
    r"ab",
    r"oy",
    r"k\.?\s*k\.?",
    r"pty\.?",
)
_TRAILING_SUFFIX = re.compile(r"(?:^|[\s,]+)(?:" + "|".join(_SUFFIXES) + r")\s*[.,]?\s*$")
_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """``name`` without case, spacing and trailing legal-form suffixes; a name that is nothing
    but a suffix keeps it (so "AG" stays "ag")."""
    key = unicodedata.normalize("NFKC", name).casefold().strip()
    while True:
        shorter = _TRAILING_SUFFIX.sub("", key).rstrip(" ,")
        if shorter == key or not shorter:
            break
        key = shorter
    return _SPACE.sub("", key)
