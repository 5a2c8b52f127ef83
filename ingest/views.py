"""The ingest endpoints: thin, the work is in `ingest.services` and `ingest.batches`."""

import orjson
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest import conf, serializers
from ingest.authentication import IsScraper, ScraperKeyAuthentication, request_scraper
from ingest.batches import leads_ingest
from ingest.services import RunFinished, scrape_run_finish, scrape_run_open

ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid body: each bad field with its messages.")
REFUSED = {
    401: OpenApiResponse(OpenApiTypes.OBJECT, description="No key, or a key that is unknown or revoked."),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not a scraper's key (a staff token or session)."),
}
RUN_RESPONSES = {404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such run of this scraper.")}
FINISHED = OpenApiResponse(OpenApiTypes.OBJECT, description="The run is finished.")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class IngestJSONParser(BaseParser):
    """JSON read with orjson, up to LEAD_INGEST_MAX_BYTES (a batch of 1,000 leads can exceed Django's 2.5 MB)."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = conf.max_bytes()
        content = stream.read(limit + 1) if stream is not None else b""
        if len(content) > limit:
            raise TooLarge(f"The request body is larger than {limit:,} bytes (LEAD_INGEST_MAX_BYTES).")
        try:
            return orjson.loads(content)
        except orjson.JSONDecodeError as error:
            raise ParseError(f"JSON parse error - {error}") from None


class ScraperView(APIView):
    authentication_classes = [ScraperKeyAuthentication, TokenAuthentication, SessionAuthentication]
    permission_classes = [IsScraper]
    parser_classes = [IngestJSONParser]


def _run_body(run) -> dict:
    return serializers.ScrapeRunSerializer(run).data


RUN_EXAMPLE = {
    "id": 42,
    "location": "sfbay",
    "category": "sss",
    "started_at": "2026-12-01T09:00:00Z",
    "finished_at": None,
    "status": "running",
    "pages_fetched": 0,
    "leads_found": 0,
    "leads_new": 0,
    "leads_duplicate": 0,
    "error": "",
}


class ScrapeRunOpenView(ScraperView):
    @extend_schema(
        request=serializers.ScrapeRunOpenSerializer,
        responses={201: serializers.ScrapeRunSerializer, 200: serializers.ScrapeRunSerializer, 400: ERROR, **REFUSED},
        summary="Open a scrape run (a retry with the same values returns the same run, 200)",
        examples=[
            OpenApiExample(
                "Open a run",
                value={"location": "sfbay", "category": "sss", "started_at": "2026-12-01T09:00:00Z"},
                request_only=True,
            ),
            OpenApiExample("The run", value=RUN_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    def post(self, request):
        body = serializers.ScrapeRunOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run, created = scrape_run_open(scraper=request_scraper(request), **body.validated_data)
        return Response(_run_body(run), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ScrapeRunFinishView(ScraperView):
    @extend_schema(
        request=serializers.ScrapeRunFinishSerializer,
        responses={200: serializers.ScrapeRunSerializer, 400: ERROR, **REFUSED, **RUN_RESPONSES, 409: FINISHED},
        summary="Finish a scrape run; its lead counts come from what was ingested into it",
        examples=[
            OpenApiExample(
                "Finish a run", value={"status": "success", "pages_fetched": 12, "error": ""}, request_only=True
            ),
            OpenApiExample(
                "The finished run",
                value=RUN_EXAMPLE
                | {"status": "success", "finished_at": "2026-12-01T09:04:10Z", "pages_fetched": 12}
                | {"leads_found": 950, "leads_new": 120, "leads_duplicate": 830},
                response_only=True,
            ),
        ],
    )
    def post(self, request, run_id: int):
        body = serializers.ScrapeRunFinishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            run = scrape_run_finish(scraper=request_scraper(request), run_id=run_id, **body.validated_data)
        except RunFinished as error:
            raise Conflict(str(error)) from None
        return Response(_run_body(run))


INGEST_EXAMPLE = {
    "scrape_run": 42,
    "leads": [
        {
            "source_post_id": "7712345678",
            "location": "sfbay",
            "category": "sss",
            "url": "https://sfbay.craigslist.org/sfc/bik/d/road-bike/7712345678.html",
            "title": "Road bike, 56 cm",
            "description": "Barely used. Call 415-555-0134.",
            "price": "450.00",
            "posted_at": "2026-12-01T08:15:00-08:00",
            "contact_name": "Sam",
            "email": "sam@example.com",
            "phone": "415-555-0134",
        },
        {"source_post_id": "7712345679", "location": "sfbay", "category": "sss", "title": "", "price": "cheap"},
    ],
}
INGEST_ANSWER = {
    "results": [
        {"index": 0, "source_post_id": "7712345678", "outcome": "created", "lead_id": 1001, "errors": {}},
        {
            "index": 1,
            "source_post_id": "7712345679",
            "outcome": "rejected",
            "lead_id": None,
            "errors": {"title": ["give the title"], "price": ["“cheap” is not a price; give a number such as 120"]},
        },
    ],
    "totals": {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1},
}


class LeadIngestView(ScraperView):
    @extend_schema(
        request=serializers.IngestRequestSerializer,
        responses={200: serializers.IngestResponseSerializer, 400: ERROR, **REFUSED, **RUN_RESPONSES, 409: FINISHED},
        summary="Ingest a batch of scraped leads: one result per lead, in order; one bad lead never rejects the batch",
        examples=[
            OpenApiExample("A batch", value=INGEST_EXAMPLE, request_only=True),
            OpenApiExample("Per-lead results", value=INGEST_ANSWER, response_only=True),
        ],
    )
    def post(self, request):
        run_id, leads = serializers.ingest_body(request.data)
        try:
            result = leads_ingest(scraper=request_scraper(request), scrape_run_id=run_id, leads=leads)
        except RunFinished as error:
            raise Conflict(str(error)) from None
        return Response({"results": result.results, "totals": result.totals})
