"""CV files to text: the sandboxed extractor (PDF with pypdf, DOCX with the standard library).

No Django and no network here; `extract.cv_text_extract` runs the parser in a child process
with a time and memory limit, because untrusted PDFs hang and explode parsers.
"""
