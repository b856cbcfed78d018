"""Quality and speed of the offline skill extractor on the labelled CVs, read back from real PDFs.

    .venv/bin/python bench/skills_quality.py              # micro precision / recall / F1 and timings
    .venv/bin/python bench/skills_quality.py --verbose    # plus each CV's misses and false positives

Every CV in recruiting/tests/cvs.py is rendered to PDF (fpdf2), its text extracted with pypdf page by
page, and `extract_skills` run on it; found names are compared with the CV's `true_skills`. The same
figures are printed for the held-out CVs alone (written after the rules were frozen: the fairer
estimate for unseen CVs) and for a naive baseline that looks up every taxonomy name and alias as a
case-insensitive whole word with no context rules. Targets: precision and recall >= 0.85 overall
(>= 0.8 required), and well under 100 ms for a 10-page CV. No Django: recruiting.skills is pure.
"""

from __future__ import annotations

import argparse
import functools
import io
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recruiting.skills.offline import extract_skills  # noqa: E402 - needs the repo root on sys.path
from recruiting.skills.taxonomy import load_taxonomy  # noqa: E402
from recruiting.tests.cvs import HELD_OUT_SLUGS, LABELLED_CVS, LabelledCV, cv_pdf  # noqa: E402

LONG_CV_PAGES = 10


@dataclass
class Tally:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def add(self, found: set[str], truth: frozenset[str]) -> None:
        self.true_positives += len(found & truth)
        self.false_positives += len(found - truth)
        self.false_negatives += len(truth - found)

    def line(self, label: str) -> str:
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return f"{label:<28} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn})"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(reader.pages[index].extract_text() for index in range(len(reader.pages)))


def naive_extractor() -> Callable[[str], set[str]]:
    """Every name and alias as a case-insensitive whole word, longest first: the obvious first attempt."""
    forms = sorted(((form, entry.name) for entry in load_taxonomy() for form in entry.forms), key=lambda f: -len(f[0]))
    owner = {form.casefold(): name for form, name in forms}
    pattern = re.compile(r"(?<![\w+#.])(?:" + "|".join(re.escape(form) for form, _ in forms) + r")(?![\w+#])", re.I)
    return lambda text: {owner[match.group().casefold()] for match in pattern.finditer(text)}


def evaluate(
    texts: dict[str, str], cvs: Iterable[LabelledCV], extract: Callable[[str], set[str]], *, verbose: bool = False
) -> Tally:
    tally = Tally()
    for cv in cvs:
        found = extract(texts[cv.slug])
        tally.add(found, cv.true_skills)
        if verbose and found != cv.true_skills:
            print(f"  {cv.slug}: missed {sorted(cv.true_skills - found)}; false {sorted(found - cv.true_skills)}")
    return tally


def timed_ms(function: Callable[[], object], repeats: int) -> float:
    """Median wall time of `function` in milliseconds."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="print each CV's misses and false positives")
    args = parser.parse_args()

    load_start = time.perf_counter()
    extract_skills("warm-up: Python")
    print(f"taxonomy + matcher load: {(time.perf_counter() - load_start) * 1000:.0f} ms, {len(load_taxonomy())} skills")

    texts = {cv.slug: pdf_text(cv_pdf(cv)) for cv in LABELLED_CVS}

    def ours(text: str) -> set[str]:
        return {skill.name for skill in extract_skills(text)}

    print(f"\n{len(LABELLED_CVS)} labelled CVs, text read back from PDF with pypdf")
    print(evaluate(texts, LABELLED_CVS, ours, verbose=args.verbose).line("offline extractor, all"))
    held_out = [cv for cv in LABELLED_CVS if cv.slug in HELD_OUT_SLUGS]
    print(evaluate(texts, held_out, ours).line(f"offline extractor, held-out ({len(held_out)})"))
    print(evaluate(texts, LABELLED_CVS, naive_extractor()).line("naive whole-word baseline"))

    per_cv = [timed_ms(functools.partial(extract_skills, text), repeats=5) for text in texts.values()]
    chars = statistics.mean(len(text) for text in texts.values())
    print(f"\nextraction: mean {statistics.mean(per_cv):.1f} ms per CV ({chars:.0f} characters on average)")
    long_text = pdf_text(cv_pdf(LABELLED_CVS[0], pages=LONG_CV_PAGES))
    long_ms = timed_ms(lambda: extract_skills(long_text), repeats=5)
    print(f"extraction: {long_ms:.1f} ms for a {LONG_CV_PAGES}-page CV ({len(long_text)} characters; target < 100 ms)")
    pdf_ms = timed_ms(lambda: pdf_text(cv_pdf(LABELLED_CVS[0])), repeats=5)
    print(f"for scale: rendering and reading back one 1-page PDF takes {pdf_ms:.1f} ms")


if __name__ == "__main__":
    main()
