"""Hostile and odd files for the CV extractor: what real inboxes send and what attackers craft."""

from __future__ import annotations

import io
import zipfile
import zlib

from fpdf import FPDF


def _pdf_with_stream(stream: bytes) -> bytes:
    """A one-page PDF whose page content is `stream` (Flate-compressed), with a correct xref table."""
    compressed = zlib.compress(stream, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed) + compressed + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def slow_pdf(operations: int = 100_000) -> bytes:
    """Tiny on disk, millions of text operations inside: the parser spins for a long time."""
    return _pdf_with_stream(b"BT /F1 9 Tf 1 0 0 1 10 10 Tm (a) Tj ET\n" * operations)


def bomb_pdf(megabytes: int = 2048) -> bytes:
    """A content stream that inflates to gigabytes: memory, not time, is what it attacks."""
    chunk = zlib.compressobj(9)
    zeros = b" " * (1024 * 1024)
    compressed = b"".join(chunk.compress(zeros) for _ in range(megabytes)) + chunk.flush()
    pdf = _pdf_with_stream(b"")
    return pdf.replace(b"/Length 8 /Filter", b"/Length %d /Filter" % len(compressed)).replace(
        zlib.compress(b"", 9), compressed
    )


def blank_pdf() -> bytes:
    """A page with no text at all, like a scanned CV without OCR."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60)
    return bytes(pdf.output())


def encrypted_pdf(text: str = "Senior Python developer") -> bytes:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def text_pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def docx(paragraphs: list[str]) -> bytes:
    """A minimal valid DOCX (what Word writes, less the styling parts)."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
    return out.getvalue()


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
