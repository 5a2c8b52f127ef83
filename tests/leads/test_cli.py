from argparse import ArgumentParser

import pytest

from leads.cli import add_filter_arguments, filters_from_options
from leads.filters import FILTER_PARAMETERS, spec_to_query_string
from leads.selectors import lead_filters_normalize


def parse(*args) -> dict:
    parser = ArgumentParser()
    add_filter_arguments(parser)
    return vars(parser.parse_args(args))


def test_no_options_is_an_empty_spec():
    assert filters_from_options(parse()) == {}


def test_every_filter_parameter_is_an_option():
    parser = ArgumentParser()
    add_filter_arguments(parser)
    flags = {flag for action in parser._actions for flag in action.option_strings}

    assert {"--" + name.replace("_", "-") for name in FILTER_PARAMETERS} <= flags


def test_list_options_repeat_or_comma_separate():
    spec = filters_from_options(parse("--status", "new,contacted", "--status", "qualified", "--keywords", "bike"))

    assert spec == {"status": ["new,contacted", "qualified"], "keywords": ["bike"]}


@pytest.mark.django_db
def test_options_mean_what_the_query_string_means():
    spec = filters_from_options(
        parse("--status", "new", "--min-price", "5", "--has-email", "yes", "--date-from", "2024-01-02", "--limit", "9")
    )

    normalized = lead_filters_normalize(filters=spec)
    assert normalized == {
        "status": ["new"],
        "min_price": "5",
        "has_email": True,
        "date_from": "2024-01-02",
        "limit": 9,
    }
    assert spec_to_query_string(normalized) == "date_from=2024-01-02&status=new&min_price=5&has_email=true&limit=9"
