"""A failures card is red only when something failed."""

from dashboard.tables import export_cards, scraping_cards


def scraping(failed: int) -> dict:
    return {
        "runs": {"total": 3, "success_rate": 1.0, "failed": failed, "partial": 0},
        "duration": {"average_seconds": 1.0, "slowest_seconds": 2.0},
        "leads": {"found_per_run": 1.0, "new_share": 0.5},
    }


def exports(failed: int) -> dict:
    return {
        "exports": {"total": 3, "failed": failed, "failure_rate": failed / 3},
        "rows_exported": 10,
        "downloads": 1,
        "bytes_exported": 100,
        "average_seconds_to_complete": 1.0,
    }


def tone_of(cards, title: str) -> str:
    return next(card.tone for card in cards if card.label == title)


def test_zero_failures_are_not_red_and_some_are():
    assert tone_of(scraping_cards(scraping(0)), "Failed runs") == ""
    assert tone_of(scraping_cards(scraping(2)), "Failed runs") == "danger"
    assert tone_of(export_cards(exports(0), spec={}), "Failed exports") == ""
    assert tone_of(export_cards(exports(1), spec={}), "Failed exports") == "danger"
