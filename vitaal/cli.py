"""The ``vitaal`` command: manage.py with friendlier names for the common jobs.

``vitaal demo``, ``vitaal worker``, ``vitaal import-people FILE --organisation SLUG`` and
every Django management command (``vitaal migrate``, ``vitaal runserver``...).
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "worker": ["task_worker", "--queue-name", "*"],
}


def main(argv: list[str] | None = None) -> None:
    """Run a management command; hyphenated names map to their underscored command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vitaal.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        name = args[1]
        if name in ALIASES:
            args[1:2] = ALIASES[name]
        elif not name.startswith("-"):
            args[1] = name.replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
