"""Contact import engine: read a CSV into normalised rows, write them in batches.

reader.py  decoding, delimiter, header aliases, per-row validation (pure, no ORM)
writers.py one batched upsert per database family (PostgreSQL: one statement per
           batch; others: ORM bulk operations), both with the same merge rules
The service crm.services.imports.contact_import_run ties them together.
"""
