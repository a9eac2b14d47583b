"""A tiny, valid PDF standing in for a scanned alliance agreement (demo data only)."""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def agreement_pdf(title: str, lines: list[str], pages: int = 2) -> bytes:
    """A PDF of ``pages`` A4 pages in Helvetica (ASCII ``title`` and ``lines``), with a correct xref table.

    Demo agreements are placeholders: the real ones are scans of sealed paper, uploaded by members.
    """
    objects: list[bytes] = []
    page_ids = [3 + 2 * n for n in range(pages)]
    font_id = 3 + 2 * pages
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    for number in range(pages):
        text = [f"BT /F1 18 Tf 72 770 Td ({_escape(title)}) Tj ET"]
        y = 730
        for line in (lines if number == 0 else [f"Signatures and seals, page {number + 1} of {pages}"]):
            text.append(f"BT /F1 11 Tf 72 {y} Td ({_escape(line)}) Tj ET")
            y -= 18
        stream = "\n".join(text).encode("ascii", "replace")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font_id} 0 R >> >> "
            f"/Contents {page_ids[number] + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
