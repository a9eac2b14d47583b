"""Compile every .po catalogue to .mo with polib, so a machine without gettext can run the portal."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po translation files (no gettext needed)."

    def handle(self, *args, **options):
        compiled = 0
        for po_path in sorted(Path(settings.BASE_DIR).glob("*/locale/*/LC_MESSAGES/*.po")) + sorted(
            Path(settings.BASE_DIR).glob("locale/*/LC_MESSAGES/*.po")
        ):
            if ".venv" in po_path.parts:
                continue
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        self.stdout.write(f"compiled {compiled} translation catalogue(s)")
