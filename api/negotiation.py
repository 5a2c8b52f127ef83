from rest_framework.negotiation import BaseContentNegotiation


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
