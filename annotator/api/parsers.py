"""The API's JSON parser: a body too large or nested too deeply to parse is the client's error, not a 500."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser


class JSONParser(DRFJSONParser):
    """DRF's parser, with Python's recursion limit (`[[[...` 100,000 deep) answered as bad JSON, and a body
    longer than DATA_UPLOAD_MAX_MEMORY_SIZE refused before it is read.

    DRF reads a JSON body from the request stream, past the check Django makes on `request.body`.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length and length.isdigit() and int(length) > limit:
            raise RequestDataTooBig(f"The request body is larger than {limit:,} bytes, the limit.")
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - the body is nested too deeply.") from error
