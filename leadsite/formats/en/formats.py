"""Leadsite's one date-time style in English: "1 Dec 2026 18:05", in the site's time zone.

Django's own English formats ("Dec. 1, 2026, 6:05 p.m.") are replaced everywhere a person reads a
date: the admin's lists and detail pages, the dashboard and the history. Files and the API use ISO
8601 instead. Input formats stay Django's (ISO dates are what the filters take).
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
FIRST_DAY_OF_WEEK = 1  # Monday, as the weekly schedules count
THOUSAND_SEPARATOR = ","
DECIMAL_SEPARATOR = "."
NUMBER_GROUPING = 3
