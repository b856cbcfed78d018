"""The sandboxed CV extractor: every way a file can be bad ends as a status with a reason."""

import pytest

from lib.extraction.extract import Limits, cv_text_extract
from recruiting.tests import pdfs

CV_TEXT = "Jane Citizen, Sydney NSW. Senior Python developer: Django, PostgreSQL, React and AWS since 2015."


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_text_pdf_is_extracted(tmp_path):
    # given
    path = write(tmp_path, "cv.pdf", pdfs.text_pdf(CV_TEXT))
    # when
    result = cv_text_extract(path)
    # then
    assert result.status == "extracted"
    assert "Senior Python developer" in result.text
    assert result.pages == 1
    assert result.seconds > 0


def test_a_docx_is_extracted(tmp_path):
    # given
    path = write(tmp_path, "cv.docx", pdfs.docx(["Jane Citizen", CV_TEXT]))
    # when
    result = cv_text_extract(path)
    # then
    assert result.status == "extracted"
    assert result.text.splitlines() == ["Jane Citizen", CV_TEXT]


@pytest.mark.parametrize(
    ("name", "data", "status", "reason"),
    [
        ("empty.pdf", b"", "failed", "the file is empty"),
        ("photo.pdf", pdfs.PNG_BYTES, "failed", "not a PDF or DOCX file"),
        ("notes.txt", b"just some text, not a CV file", "failed", "not a PDF or DOCX file"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "failed", "unreadable PDF"),
        ("locked.pdf", pdfs.encrypted_pdf(), "failed", "password-protected"),
        ("scan.pdf", pdfs.blank_pdf(), "no_text", "no extractable text"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "failed", "unreadable DOCX"),
    ],
)
def test_a_bad_file_gets_a_status_and_a_reason(tmp_path, name, data, status, reason):
    # given
    path = write(tmp_path, name, data)
    # when
    result = cv_text_extract(path)
    # then
    assert (result.status, result.text) == (status, "")
    assert reason in result.error


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    # given
    path = write(tmp_path, "huge.pdf", pdfs.text_pdf(CV_TEXT) + b" " * 50_000)
    # when
    result = cv_text_extract(path, limits=Limits(max_bytes=20_000))
    # then
    assert result.status == "failed"
    assert "too large" in result.error
    assert result.seconds < 1


def test_a_pdf_that_keeps_the_parser_busy_is_stopped_at_the_timeout(tmp_path):
    # given: 100,000 text operations in a 10 kB file: pypdf spins on it for seconds
    path = write(tmp_path, "spin.pdf", pdfs.slow_pdf())
    # when
    result = cv_text_extract(path, limits=Limits(timeout_seconds=1.0))
    # then
    assert result.status == "failed"
    assert "longer than 1 s" in result.error
    assert result.seconds < 5


def test_a_decompression_bomb_is_refused(tmp_path):
    # given: a content stream that inflates to 2 GB
    path = write(tmp_path, "bomb.pdf", pdfs.bomb_pdf())
    # when
    result = cv_text_extract(path)
    # then
    assert result.status == "failed"
    assert "unreadable PDF" in result.error or "memory" in result.error


def test_the_parser_runs_under_the_memory_limit(tmp_path):
    # given: an address-space limit too small for pypdf to parse even a small CV
    path = write(tmp_path, "cv.pdf", pdfs.text_pdf(CV_TEXT))
    # when
    result = cv_text_extract(path, limits=Limits(memory_bytes=32 * 1024 * 1024))
    # then
    assert result.status == "failed"
    assert "memory" in result.error


def test_only_the_first_pages_are_read(tmp_path):
    # given
    pages = "\n".join(f"Page {n} of a long CV with enough words to count." for n in range(1, 4))
    path = write(tmp_path, "cv.pdf", pdfs.text_pdf(pages))
    # when
    result = cv_text_extract(path, limits=Limits(max_pages=1))
    # then
    assert result.status == "extracted"
    assert result.pages == 1
