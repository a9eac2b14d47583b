#!/usr/bin/env python3
"""Subset Noto Serif SC to the characters official documents use, for ``static/fonts/``.

The source TTFs come from the npm package ``@expo-google-fonts/noto-serif-sc`` (OFL-1.1; its
LICENSE_FONT is ``static/fonts/OFL.txt``)::

    npm pack @expo-google-fonts/noto-serif-sc && tar xzf expo-google-fonts-noto-serif-sc-*.tgz
    .venv/bin/python tools/subset_cjk_font.py package/400Regular/NotoSerifSC_400Regular.ttf \\
        static/fonts/NotoSerifSC-Regular-subset.ttf

Kept: every hanzi of GB2312 (levels 1 and 2, 6,763 characters: the national standard set that names
of companies, alliances and places are written in), ASCII, Latin-1, full-width forms, CJK and
general punctuation, and every character of the project's templates and translation catalogues.
"""

import contextlib
import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent


def gb2312_hanzi() -> set[str]:
    chars = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([high, low]).decode("gb2312"))
    return chars


def project_text() -> set[str]:
    chars = set()
    for pattern in ("**/templates/**/*.html", "**/locale/**/*.po"):
        for path in ROOT.glob(pattern):
            if ".venv" not in path.parts:
                chars |= set(path.read_text(encoding="utf-8"))
    return chars


def codepoints() -> set[int]:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2460, 0x24FF)]
    points = {cp for low, high in ranges for cp in range(low, high + 1)}
    points |= {ord(c) for c in gb2312_hanzi() | project_text()}
    return {cp for cp in points if cp >= 0x20}


def main(source: str, target: str) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    subset.save_font(font, target, options)
    print(f"{target}: {Path(target).stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(*sys.argv[1:3])
