"""Documents (mycrm-new-features.md, section 3): files on contacts, deals and candidates, with
versions, extracted text and OCR, access levels, templates, share links, comments and approvals."""
