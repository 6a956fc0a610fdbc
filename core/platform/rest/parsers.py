"""Request body parsers that refuse what the database or the interpreter cannot take:
NUL characters (PostgreSQL text cannot hold them) and JSON nested deeper than any
API body needs (json.load recurses and a 100k-deep body raises RecursionError)."""
import codecs
import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.settings import api_settings
from rest_framework.utils import json as drf_json

MAX_JSON_DEPTH = 64


def check_value(data, *, max_depth=MAX_JSON_DEPTH):
    """Raises ParseError when any string (key or value) holds NUL or nesting exceeds max_depth."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise ParseError(f"JSON nested deeper than {max_depth} levels")
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError("NUL characters are not allowed")
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise ParseError("NUL characters are not allowed")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        try:
            parse_constant = drf_json.strict_constant if api_settings.STRICT_JSON else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        check_value(data)
        return data


def _check_querydict(data):
    for key, values in data.lists():
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            raise ParseError("NUL characters are not allowed")


class SafeFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_querydict(data)
        return data


class SafeMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _check_querydict(result.data)
        return result
