"""Page-number pagination where the client may choose the page size, up to a limit.

DRF ignores a `page_size` it cannot read and answers 404 for a `page` that is not a number;
a script that asked for `page_size=5000` or `page=two` would then silently get something
else. Here both are a 400 naming the parameter; a page past the end stays a 404.
"""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def _whole_number(raw: str, *, parameter: str, largest: int | None = None) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or (largest is not None and number > largest):
        limit = f" from 1 to {largest}" if largest is not None else " of at least 1"
        raise ValidationError({parameter: [f"'{raw}' is not a whole number{limit}."]})
    return number


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return _whole_number(raw, parameter=self.page_size_query_param, largest=self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        return _whole_number(raw, parameter=self.page_query_param)
