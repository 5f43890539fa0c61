"""Fill the English catalogue: our msgids are English, so each msgstr repeats its msgid.

Run by `make messages` after makemessages; keeps `msgfmt --check` and the i18n test happy
with a catalogue in which every entry is explicitly translated."""

from __future__ import annotations

import sys
from pathlib import Path

import polib


def fill(path: Path) -> int:
    po = polib.pofile(str(path))
    changed = 0
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            wanted = {0: entry.msgid, 1: entry.msgid_plural}
            if entry.msgstr_plural != wanted:
                entry.msgstr_plural = wanted
                changed += 1
        elif entry.msgstr != entry.msgid:
            entry.msgstr = entry.msgid
            changed += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            changed += 1
    po.metadata["Language"] = "en"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.save()
    return changed


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "vitaal/locale/en/LC_MESSAGES/django.po")
    print(f"{target}: {fill(target)} entries filled")
