"""Untrusted files to text: the type check, the zip-bomb check and the limited child process.

Used by recruiting (CVs) and documents (every uploaded file). No Django and no network here;
`extract.text_extract` runs the parsers (pypdf, python-docx, openpyxl, Tesseract through
pytesseract, pypdfium2 for page images) in a child process with a time and memory limit,
because untrusted files hang and explode parsers (docs/adr/0007).
"""
