"""Official documents (certificate, designation document) as PDF, with the bundled CJK font.

Every PDF is set in Noto Serif SC from ``static/fonts/`` (OFL-1.1, subset by ``tools/subset_cjk_font.py``)
through ``@font-face``, so the Chinese text is there whatever fonts the server has: without a CJK system
font WeasyPrint would draw empty boxes and the text could not be found. One ``FontConfiguration`` goes to
both the stylesheets and ``write_pdf`` (``@font-face`` is ignored otherwise). The renderer fetches nothing
but that font file: the QR code is inline SVG and the stylesheets are passed in.

WeasyPrint is imported inside ``render`` only: a view checks access before anything heavy is loaded.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings

FONT_FAMILY = "Noto Serif SC"
FONT_FILE = Path(settings.BASE_DIR) / "static" / "fonts" / "NotoSerifSC-Regular-subset.ttf"
STYLESHEETS = Path(settings.BASE_DIR) / "static" / "css"


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return FONT_FILE.read_bytes()


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(FONT_FILE, lazy=True) as font:
        return frozenset(font.getBestCmap())


def uncovered(text: str) -> str:
    """The characters of ``text`` the bundled font lacks (a rare hanzi outside GB2312, say): drawn from a
    system font if the server has one, else as empty boxes."""
    covered = _covered()
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in covered}))


def _font_css() -> str:
    url = FONT_FILE.as_uri()
    faces = "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}") format("truetype"); font-weight: {weight}; }}\n'
        for weight in (400, 700))
    # The pages' stylesheets name system fonts ("Noto Serif CJK SC", "SimSun"), which a server may lack;
    # in a PDF the bundled face comes first everywhere, whatever the selector's weight.
    return faces + f'html, body, body * {{ font-family: "{FONT_FAMILY}", serif !important; }}\n'


def _fetcher():
    # Imported here: WeasyPrint is slow to import (and may not load), and only PDF builds need it
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OnlyTheFont(URLFetcher):
        """Official PDFs fetch nothing but the bundled font: no network, no other file."""

        def fetch(self, url, headers=None):
            if url == FONT_FILE.as_uri():
                return URLFetcherResponse(url, _font_bytes(), {"Content-Type": "font/ttf"})
            raise ValueError(f"official PDFs fetch nothing but the bundled font ({url})")

    return OnlyTheFont()


def render(html: str, *, stylesheet: str) -> bytes:
    """The PDF of ``html`` styled by ``static/css/<stylesheet>`` and set in the bundled font."""
    # Imported here: WeasyPrint is slow to import (and may not load), and only PDF builds need it
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts, fetcher = FontConfiguration(), _fetcher()
    stylesheets = [
        CSS(filename=str(STYLESHEETS / stylesheet), font_config=fonts, url_fetcher=fetcher),
        CSS(string=_font_css(), font_config=fonts, url_fetcher=fetcher),
    ]
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets, font_config=fonts)
