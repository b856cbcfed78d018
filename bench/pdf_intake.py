"""CV intake speed: text extraction per CV through the sandbox, beside pypdf in this process.

    .venv/bin/python bench/pdf_intake.py [--pages 2] [--rounds 3]

Renders the labelled CVs (recruiting/tests/cvs.py) to PDFs of --pages pages, then times
lib.extraction.extract.cv_text_extract (a limited child process per CV, as production runs it)
and plain pypdf in-process (the baseline: no isolation) on the same files. Prints p50/p95 per CV
(target: p95 < 0.5 s) and the ratio, then how long a hostile PDF that keeps pypdf busy takes to
be stopped with the production timeout shortened to 2 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402

from lib.extraction.extract import Limits, cv_text_extract  # noqa: E402
from recruiting.tests.cvs import LABELLED_CVS, cv_pdf  # noqa: E402
from recruiting.tests.pdfs import slow_pdf  # noqa: E402


def in_process(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    files = []
    for cv in LABELLED_CVS:
        path = folder / f"{cv.slug}.pdf"
        path.write_bytes(cv_pdf(cv, pages=args.pages))
        files.append(path)
    ours, plain = [], []
    for _ in range(args.rounds):
        for path in files:
            started = time.perf_counter()
            result = cv_text_extract(path)
            ours.append(time.perf_counter() - started)
            assert result.status == "extracted", (path, result.error)
            data = path.read_bytes()
            started = time.perf_counter()
            in_process(data)
            plain.append(time.perf_counter() - started)
    print(f"{len(files)} CVs of {args.pages} pages, {args.rounds} rounds")
    print(
        f"sandboxed extraction: p50 {statistics.median(ours) * 1000:.0f} ms, p95 {percentile(ours, 0.95) * 1000:.0f}"
        f" ms per CV   target p95 < 500 ms: {'met' if percentile(ours, 0.95) < 0.5 else 'NOT met'}"
    )
    print(
        f"pypdf in-process:     p50 {statistics.median(plain) * 1000:.0f} ms, p95 {percentile(plain, 0.95) * 1000:.0f}"
        f" ms per CV   ratio of medians {statistics.median(plain) / statistics.median(ours):.2f}"
    )
    hostile = folder / "spin.pdf"
    hostile.write_bytes(slow_pdf())
    started = time.perf_counter()
    result = cv_text_extract(hostile, limits=Limits(timeout_seconds=2.0))
    print(
        f"hostile PDF ({hostile.stat().st_size:,} bytes): {result.status} after {time.perf_counter() - started:.2f} s"
        f" ({result.error})"
    )


if __name__ == "__main__":
    main()
