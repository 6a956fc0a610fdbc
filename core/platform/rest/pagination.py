"""Limit/offset paging with ceilings: an unbounded limit or offset reaches the
database as a number PostgreSQL cannot hold ("bigint out of range")."""
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from core.platform.rest.fields import parse_id

MAX_OFFSET = 10**9


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 500

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw is None or raw == "":
            return 0
        offset = parse_id(raw)
        if offset is None or offset > MAX_OFFSET:
            raise ValidationError({self.offset_query_param: [f"offset must be a whole number from 0 to {MAX_OFFSET}"]})
        return offset

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        # Any run of ASCII digits is a limit; past the ceiling it only means "as many as allowed".
        limit = (parse_id(raw) or 0) if len(raw) <= 9 else (self.max_limit if raw.isascii() and raw.isdigit() else 0)
        if limit == 0:
            raise ValidationError({self.limit_query_param: ["limit must be a whole number from 1; "
                                                            f"above {self.max_limit} it is read as {self.max_limit}"]})
        return min(limit, self.max_limit)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for p in params:
            bound = {"limit": {"minimum": 1}, "offset": {"minimum": 0, "maximum": MAX_OFFSET}}.get(p["name"], {})
            p["schema"].update(bound)
        return params
