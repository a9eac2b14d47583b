"""Write the workflow diagram (from ``reviews.workflow.TRANSITIONS``) to ``docs/workflow.svg``."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from reviews import diagram


class Command(BaseCommand):
    help = "Render the review workflow diagram to an SVG file (docs/workflow.svg by default)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "workflow.svg"))
        parser.add_argument("--language", default="en", help="language of the labels (en or zh-hans)")
        parser.add_argument("--check", action="store_true",
                            help="fail if the file differs from the table instead of writing it")

    def handle(self, *args, output, language, check, **options):
        import graphviz

        with override(language):
            try:
                svg = diagram.build().pipe(format="svg", encoding="utf-8")
            except graphviz.ExecutableNotFound as missing:
                raise CommandError("Graphviz's dot is not installed (Debian: apt install graphviz).") from missing
        path = Path(output)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != svg:
                raise CommandError(f"{path} is out of date: run manage.py render_workflow_diagram")
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
