"""Refresh one catalogue with ``makemessages``: an app's, or the shared ``locale/`` (templates/, alliance_portal/).

Running ``makemessages`` from inside an app directory breaks (the app's ``rules.py`` hides the
``rules`` package once the current directory is on the import path), and running it from the root
rewrites every app's catalogue. This command starts Django first, then works on one catalogue only.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Update the zh_Hans catalogue of one app, or of the shared templates with 'shared'."

    def add_arguments(self, parser):
        parser.add_argument("target", help="an app directory name (alliances, reviews, …) or 'shared'")
        parser.add_argument("--locale", default="zh_Hans")

    def handle(self, target, locale, **options):
        root = Path(settings.BASE_DIR)
        here = Path.cwd()
        try:
            if target == "shared":
                os.chdir(root)
                others = [p.name for p in root.iterdir() if p.is_dir() and p.name not in {"templates", "alliance_portal"}]
                call_command("makemessages", locale=[locale], ignore_patterns=[*others, "*.txt"], no_obsolete=True)
            else:
                app_dir = root / target
                if not (app_dir / "apps.py").exists():
                    raise CommandError(f"{target} is not an app directory of this project")
                (app_dir / "locale").mkdir(exist_ok=True)
                os.chdir(app_dir)
                call_command("makemessages", locale=[locale], no_obsolete=True)
        finally:
            os.chdir(here)
