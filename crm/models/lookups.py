"""TagsField: a JSON list of lower-case tags, filterable with `tags__has_tag="x"` on every database.

Django's JSONField `contains` lookup does not exist on SQLite, which the
embedded run uses, so the one lookup we need is written for both.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


def normalize_tags(values: Any) -> list[str]:
    """Tags as stored: strings, trimmed, lower-case, unique, in first-seen order."""
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    return list(dict.fromkeys(tag for value in values or [] if (tag := str(value).strip().lower())))


class TagsField(models.JSONField):
    pass


@TagsField.register_lookup
class HasTag(Lookup):
    lookup_name = "has_tag"
    prepare_rhs = False

    def _tag(self) -> str:
        return str(self.rhs).strip().lower()

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*params, json.dumps([self._tag()])]

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        # `lhs` is the column as Django compiled it; the tag is a parameter.
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"  # noqa: S608
        return sql, [*params, self._tag()]
