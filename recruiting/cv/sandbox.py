"""The child process that parses one untrusted CV file: `python -I sandbox.py PATH KIND MAX_PAGES`.

Run by recruiting.cv.extract under RLIMIT_AS / RLIMIT_CPU and a wall-clock timeout; prints
one JSON object {"status", "text", "pages", "error"} on stdout. Imports only the standard
library, pypdf and defusedxml, so it starts fast and needs no settings.
"""

from __future__ import annotations

import json
import logging
import sys
import zipfile

WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX_MAX_XML_BYTES = 20 * 1024 * 1024  # a zip bomb stops here, not at the memory limit


def pdf_text(path: str, max_pages: int) -> dict[str, object]:
    import pypdf
    import pypdf.filters
    from pypdf.errors import FileNotDecryptedError

    pypdf.filters.JBIG2DEC_BINARY = None  # never shell out to an image decoder
    reader = pypdf.PdfReader(path, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return {"status": "failed", "error": "the PDF is password-protected"}
    try:
        pages = reader.pages[:max_pages]
        text = "\n".join(page.extract_text() or "" for page in pages)
    except FileNotDecryptedError:
        return {"status": "failed", "error": "the PDF is password-protected"}
    return {"status": "ok", "text": text, "pages": len(reader.pages)}


def docx_text(path: str) -> dict[str, object]:
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > DOCX_MAX_XML_BYTES:
            return {"status": "failed", "error": "the DOCX is too large once unpacked"}
        root = ElementTree.fromstring(archive.read(info), forbid_dtd=True)  # no entities, no bombs
    paragraphs = ["".join(node.text or "" for node in p.iter(f"{WORD_NS}t")) for p in root.iter(f"{WORD_NS}p")]
    return {"status": "ok", "text": "\n".join(paragraphs), "pages": 0}


def main() -> None:
    logging.disable(logging.CRITICAL)  # pypdf warns on stderr about every malformed object
    path, kind, max_pages = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        result = pdf_text(path, max_pages) if kind == "pdf" else docx_text(path)
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
