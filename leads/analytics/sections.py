"""Extra sections of the performance analytics, registered by the apps above `leads`.

`leads` cannot import the apps that act on leads (rules, outreach), yet the performance analytics
(the API, analytics/generate, the analytics exports and the comprehensive ZIP) must show their
figures. Those apps register a section in their AppConfig.ready(): a name and a function
`section(*, spec: dict) -> dict` that reads the spec's `date_from`/`date_to` as the period.
"""

from collections.abc import Callable, Mapping

_SECTIONS: dict[str, Callable[..., dict]] = {}


def register_performance_section(name: str, section: Callable[..., dict]) -> None:
    _SECTIONS[name] = section


def performance_sections(*, spec: Mapping) -> dict:
    """Every registered section for the (validated, normalized) `spec`, by name."""
    return {name: section(spec=dict(spec)) for name, section in _SECTIONS.items()}
