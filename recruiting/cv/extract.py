"""Text out of a CV file, safely: type check, size cap, then the parser in a limited child process.

See ../shared/research/reliability.md §6.1: pypdf ships denial-of-service fixes constantly and
says catching exceptions is the caller's job. So the parse runs in `sandbox.py` under an
address-space and CPU limit with a wall-clock timeout, and every way it can end (parsed,
refused, timed out, out of memory, crashed) becomes an Extraction with a reason.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

SANDBOX = Path(__file__).with_name("sandbox.py")
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 30
    timeout_seconds: float = 20.0
    memory_bytes: int = 512 * 1024 * 1024


@dataclass(frozen=True)
class Extraction:
    status: str  # "extracted", "no_text" (scanned or empty) or "failed"
    text: str = ""
    pages: int = 0
    error: str = ""
    seconds: float = 0.0


def file_kind(head: bytes, file_name: str) -> str:
    """ "pdf", "docx" or "" from the first bytes (the name alone is not trusted)."""
    if PDF_MAGIC in head[:1024]:
        return "pdf"
    if head.startswith(ZIP_MAGIC) and file_name.lower().endswith(".docx"):
        return "docx"
    return ""


def cv_text_extract(path: Path, *, file_name: str = "", limits: Limits = Limits()) -> Extraction:
    started = time.monotonic()
    result = _extract(path, file_name or path.name, limits)
    return Extraction(**{**result.__dict__, "seconds": round(time.monotonic() - started, 4)})


def _extract(path: Path, file_name: str, limits: Limits) -> Extraction:
    size = path.stat().st_size
    if size == 0:
        return Extraction("failed", error="the file is empty")
    if size > limits.max_bytes:
        return Extraction("failed", error=f"the file is too large ({size:,} bytes; the limit is {limits.max_bytes:,})")
    with path.open("rb") as handle:
        kind = file_kind(handle.read(1024), file_name)
    if not kind:
        return Extraction("failed", error="not a PDF or DOCX file")
    if kind == "docx" and not zipfile.is_zipfile(path):
        return Extraction("failed", error="unreadable DOCX (not a valid zip archive)")
    return _run_sandbox(path, kind, limits)


def _run_sandbox(path: Path, kind: str, limits: Limits) -> Extraction:
    def limit_child() -> None:  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        cpu = int(limits.timeout_seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    command = [sys.executable, "-I", str(SANDBOX), str(path), kind, str(limits.max_pages)]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script, the path is ours
            command, capture_output=True, timeout=limits.timeout_seconds, preexec_fn=limit_child, check=False
        )
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
    pages = int(result.get("pages", 0))
    if len(text.split()) < 5:
        return Extraction("no_text", pages=pages, error="no extractable text: a scanned or empty document")
    return Extraction("extracted", text=text, pages=pages)


def _tidy(text: str) -> str:
    """NULs out (PostgreSQL text refuses them), runs of blank lines collapsed."""
    lines = [line.rstrip() for line in text.replace("\x00", "").splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip()
