from rest_framework.exceptions import ParseError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    """JSON of sane nesting: a document nested too deeply for the parser is a JSON 400, not a 500.

    (A body over DATA_UPLOAD_MAX_MEMORY_SIZE never gets here: api.exceptions answers it with 413.)
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None


class FirstRendererNegotiation(BaseContentNegotiation):
    """Always answer with the view's first renderer (JSON).

    File endpoints return the file itself whatever the client accepts (the
    seed's `curl -H "accept: text/csv"` must work); their errors are JSON.
    """

    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type and request.content_type.split(";")[0].strip() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
