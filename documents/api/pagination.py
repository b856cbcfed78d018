"""A search's matches are counted up to SEARCH_COUNT_CAP, and a page of them is read so that
PostgreSQL never walks the whole date index looking for a rare word.

One query takes the ids of the first SEARCH_COUNT_CAP + 1 matches (through the GIN index).
Up to the cap, that is the exact count, and the page is read by those ids (a rare word's page is
a handful of primary-key lookups, whatever the planner guesses about the word). Past the cap,
the word is common: `count` is the cap and `count_capped` is true (as search pages say
"1,000+"), and the page is the newest documents checked one by one against the word, which
finds 50 within the first few thousand. Lists without `?q=` are counted exactly.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from crm_site.pagination import Pagination

SEARCH_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """For a searched queryset: the count up to the cap, and the matches pinned by id under it."""

    capped = False

    @cached_property
    def count(self) -> int:
        matches = cast(QuerySet[Any], self.object_list)
        ids = list(matches.values_list("pk", flat=True)[: SEARCH_COUNT_CAP + 1])
        self.capped = len(ids) > SEARCH_COUNT_CAP
        if not self.capped:
            self.object_list = matches.filter(pk__in=ids)
        return min(len(ids), SEARCH_COUNT_CAP)


class DocumentPagination(Pagination):
    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any] | None:
        self.django_paginator_class = CappedPaginator if request.query_params.get("q", "").strip() else Paginator
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = bool(self.page and getattr(self.page.paginator, "capped", False))
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"a search's count stopped at {SEARCH_COUNT_CAP}: there are more matches",
        }
        return answer
