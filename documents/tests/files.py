"""Files as staff upload them: a contract PDF, a Word proposal, an Excel invoice, a phone photo of
a letter (text only OCR reads), a scanned PDF page, and broken or hostile ones."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pdf(*paragraphs: str) -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    for paragraph in paragraphs:
        document.multi_cell(0, 8, paragraph)
    return bytes(document.output())


def word(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def excel(rows: list[list[object]], title: str = "Invoice") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def picture(lines: list[str], fmt: str = "PNG") -> bytes:
    """Black text on white, large enough for Tesseract, as a photo or scan would give."""
    font = ImageFont.truetype(str(FONT), 40) if FONT.exists() else ImageFont.load_default(size=40)
    image = Image.new("RGB", (1400, 120 + 70 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 60 + 70 * number), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def scanned_pdf(lines: list[str]) -> bytes:
    """A PDF page that is only a picture of text: no text layer, OCR finds the words."""
    image = Image.open(io.BytesIO(picture(lines)))
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=150)
    return out.getvalue()


def zip_bomb_docx(megabytes: int = 300) -> bytes:
    """A DOCX whose document.xml unpacks to hundreds of MB from a few hundred KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


BROKEN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nnot a real pdf at all"
TEXT_FILE = b"just a text file pretending to be something else\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
