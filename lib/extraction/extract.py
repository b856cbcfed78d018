"""Text out of an untrusted file, safely: type check, size cap, then the parser in a limited child.

See ../shared/research/reliability.md §6.1: pypdf ships denial-of-service fixes constantly and
says catching exceptions is the caller's job. So the parse runs in `sandbox.py` under an
address-space and CPU limit with a wall-clock timeout, and every way it can end (parsed,
refused, timed out, out of memory, crashed) becomes an Extraction with a reason.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from lib.extraction.kinds import ALL_KINDS, LEGACY_OFFICE, kind_of, kinds_named, zip_problem

SANDBOX = Path(__file__).with_name("sandbox.py")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 30
    timeout_seconds: float = 20.0
    memory_bytes: int = 512 * 1024 * 1024
    ocr: bool = False  # Tesseract for images and PDF pages without a text layer
    ocr_language: str = "eng"
    ocr_max_pages: int = 10
    kinds: tuple[str, ...] = ALL_KINDS


@dataclass(frozen=True)
class Extraction:
    status: str  # "extracted", "no_text" (scanned or empty) or "failed"
    text: str = ""
    pages: int = 0
    error: str = ""
    seconds: float = 0.0
    ocr_pages: int = 0
    kind: str = ""


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def text_extract(
    path: Path, *, file_name: str = "", limits: Limits = Limits(), thumbnail: Path | None = None
) -> Extraction:
    """The file's text (and a PNG thumbnail of its first page or image at `thumbnail`)."""
    started = time.monotonic()
    result = _extract(path, file_name or path.name, limits, thumbnail)
    return replace(result, seconds=round(time.monotonic() - started, 4))


def cv_text_extract(path: Path, *, file_name: str = "", limits: Limits | None = None) -> Extraction:
    """A CV: PDF or DOCX only, no OCR (recruiting's reader)."""
    cv_limits = replace(limits or Limits(), kinds=("pdf", "docx"), ocr=False)
    return text_extract(path, file_name=file_name, limits=cv_limits)


def _extract(path: Path, file_name: str, limits: Limits, thumbnail: Path | None) -> Extraction:
    size = path.stat().st_size
    if size == 0:
        return Extraction("failed", error="the file is empty")
    if size > limits.max_bytes:
        return Extraction("failed", error=f"the file is too large ({size:,} bytes; the limit is {limits.max_bytes:,})")
    kind = kind_of(path, file_name)
    if kind not in limits.kinds:
        return Extraction("failed", error=f"not a {kinds_named(limits.kinds)} file")
    if kind in LEGACY_OFFICE:
        return Extraction(
            "no_text",
            kind=kind,
            error=f"the text of an old {kind.upper()} file is not read; save it as {kind.upper()}X",
        )
    problem = zip_problem(path, kind) if kind in ("docx", "xlsx") else ""
    if problem:
        return Extraction("failed", kind=kind, error=problem)
    ocr = limits.ocr and tesseract_available()
    if kind in ("png", "jpeg", "tiff") and limits.ocr and not ocr:
        return Extraction("failed", kind=kind, error="reading text from images needs Tesseract (tesseract-ocr)")
    return replace(_run_sandbox(path, kind, limits, ocr, thumbnail), kind=kind)


def _run_sandbox(path: Path, kind: str, limits: Limits, ocr: bool, thumbnail: Path | None) -> Extraction:
    def limit_child() -> None:  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        cpu = int(limits.timeout_seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    request = {
        "path": str(path), "kind": kind, "max_pages": limits.max_pages, "ocr": ocr,
        "language": limits.ocr_language, "ocr_max_pages": limits.ocr_max_pages,
        "thumbnail": str(thumbnail) if thumbnail else "",
    }  # fmt: skip
    command = [sys.executable, "-I", str(SANDBOX), json.dumps(request)]
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_THREAD_LIMIT": "1", "LC_ALL": "C"}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script, the path is ours
            command, capture_output=True, timeout=limits.timeout_seconds, preexec_fn=limit_child, check=False,
            env=environment,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return Extraction("failed", error=f"parsing took longer than {limits.timeout_seconds:g} s and was stopped")
    return _outcome(done, kind)


def _outcome(done: subprocess.CompletedProcess[bytes], kind: str) -> Extraction:
    if done.returncode != 0:
        if done.returncode in (-9, -24):  # SIGKILL / SIGXCPU: the CPU limit
            return Extraction("failed", error="parsing used too much CPU time and was stopped")
        reason = "ran out of memory" if b"MemoryError" in done.stderr else f"crashed (exit {done.returncode})"
        return Extraction("failed", error=f"the {kind.upper()} parser {reason}")
    try:
        result = json.loads(done.stdout)
    except ValueError:
        return Extraction("failed", error=f"the {kind.upper()} parser gave no answer")
    if result["status"] != "ok":
        return Extraction("failed", error=str(result.get("error", "unreadable file")))
    text = _tidy(str(result.get("text", "")))
    pages, ocr_pages = int(result.get("pages", 0)), int(result.get("ocr_pages", 0))
    if len(text.split()) < 5:
        reason = "no extractable text: a scanned or empty document"
        return Extraction("no_text", text=text, pages=pages, ocr_pages=ocr_pages, error=reason)
    return Extraction("extracted", text=text, pages=pages, ocr_pages=ocr_pages)


def _tidy(text: str) -> str:
    """NULs out (PostgreSQL text refuses them), runs of blank lines collapsed."""
    lines = [line.rstrip() for line in text.replace("\x00", "").splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip()
