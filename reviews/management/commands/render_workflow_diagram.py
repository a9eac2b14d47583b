"""Write the workflow diagram (from ``alliances.workflow.TRANSITIONS``) for the pages and the README.

Build time only (needs Debian's ``graphviz``): one SVG per language in ``reviews/diagrams/``, which the
pages read and highlight at run time, and the English one again as ``docs/workflow.svg``. ``--check``
(CI) fails when a committed file differs from what the table draws now.
"""

from pathlib import Path

import graphviz
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from reviews import diagram


class Command(BaseCommand):
    help = "Render the review workflow diagram to reviews/diagrams/workflow.<language>.svg and docs/workflow.svg."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(diagram.DIAGRAMS),
                            help="where the per-language SVGs the pages use go")
        parser.add_argument("--docs", default=str(Path(settings.BASE_DIR) / "docs" / "workflow.svg"),
                            help="the README's copy (English)")
        parser.add_argument("--check", action="store_true",
                            help="fail if a file differs from the table instead of writing it")

    def handle(self, *args, directory, docs, check, **options):
        outputs = {}
        for language in diagram.LANGUAGES:
            with override(language):
                try:
                    svg = diagram.build().pipe(format="svg", encoding="utf-8")
                except graphviz.ExecutableNotFound as missing:
                    raise CommandError("Graphviz's dot is not installed (Debian: apt install graphviz).") from missing
            outputs[Path(directory) / f"workflow.{language}.svg"] = svg
            if language == "en":
                outputs[Path(docs)] = svg
        if check:
            stale = [str(path) for path, svg in outputs.items()
                     if not path.exists() or path.read_text(encoding="utf-8") != svg]
            if stale:
                raise CommandError(f"{', '.join(stale)} out of date: run manage.py render_workflow_diagram")
            self.stdout.write("The workflow diagrams are up to date.")
            return
        for path, svg in outputs.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(svg, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
