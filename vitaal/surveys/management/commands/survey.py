"""``vitaal survey analyze WAVE [--format json|csv] [--weighted]`` prints the protected
numbers the results page shows; ``vitaal survey export WAVE --format sav|csv|xlsx --output
FILE`` writes the response file with its labels (operators only: it holds individual
anonymous responses); ``vitaal survey import WAVE FILE`` adds responses from such a file,
all or nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vitaal.surveys import exports, imports, selectors, services
from vitaal.surveys.models import Wave
from vitaal.surveys.report_data import report_rows, wave_report


class Command(BaseCommand):
    help = "Analyse a survey wave, or export its responses."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        analyze = sub.add_parser("analyze", help="print the wave's protected results")
        analyze.add_argument("wave", type=int)
        analyze.add_argument("--format", choices=["json", "csv"], default="json")
        analyze.add_argument("--weighted", action="store_true", help="weight to the population figures")
        export = sub.add_parser("export", help="write the response file")
        export.add_argument("wave", type=int)
        export.add_argument("--format", choices=["sav", "csv", "xlsx"], required=True)
        export.add_argument("--output", required=True)
        load = sub.add_parser("import", help="add responses from a .sav, .csv or .xlsx file")
        load.add_argument("wave", type=int)
        load.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = Wave.objects.select_related("questionnaire", "sector").filter(pk=options["wave"]).first()
        if wave is None:
            raise CommandError(f"No wave with id {options['wave']}.")
        if options["action"] in ("analyze", "export") and not selectors.results_released(wave):
            # The same rule as every page (selectors, "Release of results").
            raise CommandError(f"Wave {wave.pk} is not closed; its answers are released when it closes.")
        if options["action"] == "analyze":
            report = wave_report(wave, weighted=options["weighted"])
            if options["format"] == "json":
                self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False, default=str))
            else:
                writer = csv.writer(self.stdout)
                for row in report_rows(report):
                    writer.writerow(["" if value is None else value for value in row])
            return
        if options["action"] == "import":
            path = Path(options["file"])
            try:
                count = imports.responses_import(wave=wave, frame=imports.read_file(path))
            except imports.ImportRefused as exc:
                for line in exc.errors:
                    self.stderr.write(f"  {line}")
                raise CommandError(f"{path.name} was refused; nothing was stored.") from exc
            self.stdout.write(self.style.SUCCESS(f"{count} responses imported into wave {wave.pk}."))
            return
        table, variables = exports.response_table(
            selectors.wave_frame(wave), services.questions_of(wave.questionnaire)
        )
        path = Path(options["output"])
        if options["format"] == "sav":
            exports.to_sav(table, variables, path)
        elif options["format"] == "csv":
            path.write_bytes(exports.to_csv(table, variables))
        else:
            path.write_bytes(exports.to_xlsx(table, variables))
        self.stdout.write(self.style.SUCCESS(f"{len(table)} responses written to {path}."))
