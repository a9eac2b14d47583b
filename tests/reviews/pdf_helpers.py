"""Reading the PDFs the portal serves (as stored, streamed) and hiding the machine's fonts from fontconfig."""

import io
from pathlib import Path

from pypdf import PdfReader

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def downloaded(response) -> bytes:
    """The body of a (streamed) file response. The test client closes it (and the stored file) once read
    to the end, as a server does; closing it again would fire ``request_finished`` a second time, which
    closes the test's database connection."""
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def stored(document) -> bytes:
    """The document's file as the storage holds it (through the storage API, as the portal reads it)."""
    from django.core.files.storage import default_storage

    with default_storage.open(document.file.name, "rb") as file:
        return file.read()


def pdf_text(content: bytes) -> str:
    """The PDF's text without spaces and line breaks (CJK extraction puts spaces between characters)."""
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


def embedded_fonts(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def fonts_only_conf(tmp_path: Path) -> Path:
    """A fontconfig file that shows only DejaVu (what a bare Debian has with fontconfig) — or, without
    DejaVu, no font at all (the bundled one still renders: checked): never the system's CJK fonts."""
    folder = DEJAVU if DEJAVU.is_dir() else tmp_path / "no-fonts"
    folder.mkdir(exist_ok=True)
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
                    encoding="utf-8")
    return conf
