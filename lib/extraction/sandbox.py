"""The child process that reads one untrusted file: `python -I sandbox.py REQUEST_JSON`.

Run by lib.extraction.extract under RLIMIT_AS / RLIMIT_CPU and a wall-clock timeout; prints one
JSON object {"status", "text", "pages", "ocr_pages", "error"} on stdout. The request names the
file, its kind (pdf, docx, xlsx, png, jpeg, tiff), the page cap, whether to OCR (Tesseract, for
images and for PDF pages without a text layer) and where to write a first-page thumbnail.
Imports only the standard library and the parsers, so it starts fast and needs no settings.
"""

from __future__ import annotations

import json
import logging
import sys
import zipfile
from typing import Any

WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX_MAX_XML_BYTES = 20 * 1024 * 1024  # a zip bomb stops here, not at the memory limit
XLSX_MAX_CELLS = 500_000
IMAGE_MAX_PIXELS = 60_000_000  # Pillow refuses larger images (decompression bombs) before decoding
OCR_DPI = 200
THUMBNAIL_PX = 320
MIN_PAGE_WORDS = 3  # a PDF page with fewer words than this is taken as scanned


def pdf_text(request: dict[str, Any]) -> dict[str, object]:
    import pypdf
    import pypdf.filters
    from pypdf.errors import FileNotDecryptedError

    pypdf.filters.JBIG2DEC_BINARY = None  # never shell out to an image decoder
    reader = pypdf.PdfReader(request["path"], strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return {"status": "failed", "error": "the PDF is password-protected"}
    try:
        texts = [page.extract_text() or "" for page in reader.pages[: request["max_pages"]]]
    except FileNotDecryptedError:
        return {"status": "failed", "error": "the PDF is password-protected"}
    ocr_pages = 0
    if request.get("ocr") or request.get("thumbnail"):
        ocr_pages = _pdf_render(request, texts)
    return {"status": "ok", "text": "\n".join(texts), "pages": len(reader.pages), "ocr_pages": ocr_pages}


def _pdf_render(request: dict[str, Any], texts: list[str]) -> int:
    """OCR the pages without a text layer (up to `ocr_max_pages`) and draw the thumbnail."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(request["path"])
    try:
        if request.get("thumbnail") and len(pdf):
            _thumbnail(pdf[0].render(scale=THUMBNAIL_PX / 300).to_pil(), request["thumbnail"])
        done = 0
        for number, text in enumerate(texts):
            if not request.get("ocr") or done >= request["ocr_max_pages"]:
                break
            if len(text.split()) >= MIN_PAGE_WORDS:
                continue
            texts[number] = _ocr(pdf[number].render(scale=OCR_DPI / 72).to_pil(), request["language"])
            done += 1
        return done
    finally:
        pdf.close()


def docx_text(request: dict[str, Any]) -> dict[str, object]:
    """python-docx's paragraphs and table rows; a package it refuses (no relationships part, as
    some generators write) is read straight from word/document.xml."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    with zipfile.ZipFile(request["path"]) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > DOCX_MAX_XML_BYTES:
            return {"status": "failed", "error": "the DOCX is too large once unpacked"}
        raw = archive.read(info)
    try:
        document = docx.Document(request["path"])  # lxml without entity resolution (python-docx's parser)
    except (PackageNotFoundError, KeyError, ValueError, AttributeError):
        return {"status": "ok", "text": _docx_xml_text(raw), "pages": 0}
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return {"status": "ok", "text": "\n".join(lines), "pages": 0}


def _docx_xml_text(raw: bytes) -> str:
    from defusedxml import ElementTree

    root = ElementTree.fromstring(raw, forbid_dtd=True)  # no entities, no bombs
    paragraphs = root.iter(f"{WORD_NS}p")
    return "\n".join("".join(node.text or "" for node in p.iter(f"{WORD_NS}t")) for p in paragraphs)


def xlsx_text(request: dict[str, Any]) -> dict[str, object]:
    import openpyxl  # reads through defusedxml when it is installed, as here

    workbook = openpyxl.load_workbook(request["path"], read_only=True, data_only=True)
    lines, cells = [], 0
    try:
        for sheet in workbook.worksheets:
            lines.append(f"# {sheet.title}")
            for row in sheet.iter_rows(values_only=True):
                values = [str(value) for value in row if value is not None]
                cells += len(row)
                if values:
                    lines.append("\t".join(values))
                if cells > XLSX_MAX_CELLS:
                    return {"status": "ok", "text": "\n".join(lines), "pages": len(workbook.worksheets)}
        return {"status": "ok", "text": "\n".join(lines), "pages": len(workbook.worksheets)}
    finally:
        workbook.close()


def image_text(request: dict[str, Any]) -> dict[str, object]:
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
    with Image.open(request["path"]) as image:
        if image.width * image.height > IMAGE_MAX_PIXELS:
            return {"status": "failed", "error": f"the image is too large ({image.width} x {image.height} pixels)"}
        if request.get("thumbnail"):
            _thumbnail(image.copy(), request["thumbnail"])
        texts = []
        for number, frame in enumerate(ImageSequence.Iterator(image)):
            if not request.get("ocr") or number >= request["ocr_max_pages"]:
                break
            texts.append(_ocr(frame.copy(), request["language"]))
        pages = getattr(image, "n_frames", 1)
    return {"status": "ok", "text": "\n".join(texts), "pages": pages, "ocr_pages": len(texts)}


def _ocr(image: Any, language: str) -> str:
    import pytesseract

    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    return str(pytesseract.image_to_string(image, lang=language))


def _thumbnail(image: Any, target: str) -> None:
    image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    if image.mode not in ("L", "RGB", "RGBA"):
        image = image.convert("RGB")
    image.save(target, format="PNG")


READERS = {"pdf": pdf_text, "docx": docx_text, "xlsx": xlsx_text, "png": image_text, "jpeg": image_text}
READERS["tiff"] = image_text


def main() -> None:
    logging.disable(logging.CRITICAL)  # pypdf warns on stderr about every malformed object
    request = json.loads(sys.argv[1])
    kind = request["kind"]
    try:
        result = READERS[kind](request)
    except MemoryError:
        result = {"status": "failed", "error": "the file needs too much memory to parse"}
    except SystemError:  # under RLIMIT_AS a C extension may fail an allocation without a MemoryError
        result = {"status": "failed", "error": "the parser ran out of memory"}
    except ImportError as exc:  # under RLIMIT_AS a library may fail to map into memory
        reason = "memory" if "map" in str(exc) or "allocate" in str(exc) else f"setup ({exc})"
        result = {"status": "failed", "error": f"the parser could not start: out of {reason}"}
    except Exception as exc:  # noqa: BLE001 - any parser failure is an answer about the file
        result = {"status": "failed", "error": f"unreadable {kind.upper()} ({type(exc).__name__}: {str(exc)[:200]})"}
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
