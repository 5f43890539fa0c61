"""Both languages are complete: every UI string is extracted, translated and compiled."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
LANGS = ["nl", "en"]


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_fully_translated(lang):
    po = catalogue(lang)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {lang}: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy in {lang}: {fuzzy[:20]}"


@pytest.mark.parametrize("lang", LANGS)
def test_format_markers_survive_translation(lang):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|<[^>]+>")
    for entry in catalogue(lang):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wanted = sorted(pattern.findall(sources[-1]))
        for target in targets:
            assert sorted(pattern.findall(target)) == wanted, f"{lang}: {entry.msgid!r} -> {target!r}"


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="gettext tools missing (make test installs them)"
)
def test_every_ui_string_is_in_the_catalogues(tmp_path):
    """Extract the strings from a copy of the source and compare with the committed .po."""
    src = tmp_path / "vitaal"
    shutil.copytree(
        ROOT, src, ignore=shutil.ignore_patterns("locale", "tests", "__pycache__", "static", "migrations")
    )
    out = tmp_path / "locale"
    (out / "nl" / "LC_MESSAGES").mkdir(parents=True)
    cwd = os.getcwd()
    try:
        os.chdir(src)
        with override_settings(LOCALE_PATHS=[str(out)]):
            call_command("makemessages", locale=["nl"], no_location=True, verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(out / "nl" / "LC_MESSAGES" / "django.po"))}
    for lang in LANGS:
        committed = {(e.msgctxt, e.msgid) for e in catalogue(lang) if not e.obsolete}
        missing = sorted(m for _c, m in fresh - committed)
        assert not missing, f"strings not in the {lang} catalogue (run `make messages`): {missing[:20]}"


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_matches_the_po(lang):
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in catalogue(lang):
        if entry.obsolete or not entry.translated():
            continue
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{lang}: {entry.msgid!r} not compiled (run `make messages`)"
        expected = (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
        assert compiled[key] == expected, f"{lang}: stale translation of {entry.msgid!r}"


def test_dutch_is_the_default_and_english_available():
    with translation.override("nl"):
        assert translation.gettext("Who looked at my data") != "Who looked at my data"
    with translation.override("en"):
        assert translation.gettext("Who looked at my data") == "Who looked at my data"
