"""Form fields and widgets that let one filter spec read every input shape.

The same spec arrives as a query string (`?status=new&status=contacted` or
`?status=new,contacted`), as JSON (`{"status": ["new"], "has_email": true}`)
and as command-line options. These fields accept all three and are strict:
a value they do not understand is an error, never silently ignored.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from leadsite.env import FALSE_WORDS, TRUE_WORDS


def _raw_values(data, name) -> list:
    """All values given for `name`, whether `data` is a QueryDict or a plain dict."""
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name)
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def text_check(value: str) -> None:
    """Refuse what no column can store and no page can print: NUL and lone UTF-16 surrogates."""
    if "\x00" in value:
        raise ValidationError("Values must not contain NUL characters.", code="null_characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Values must be valid Unicode text (no lone surrogates).", code="surrogates") from None


def scalar_check(value) -> None:
    """A spec value from JSON is a string or a whole number (a list holds those); never an object or a list."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError("Each value must be a string.", code="not_a_string")


def split_values(values) -> list[str]:
    """Flatten repeated and comma-separated values, dropping blanks and repeats.

    Values that are neither strings nor numbers (a JSON object or a nested list) are kept as they
    are, for the field to refuse with a message (widgets must not raise).
    """
    result: list = []
    for value in values or []:
        if isinstance(value, bool) or not isinstance(value, str | int):
            result.append(value)
            continue
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in result:
                result.append(part)
    return result


def scalar_values(value) -> list[str]:
    """The checked, split items of a list field's raw value."""
    raw = value if isinstance(value, (list, tuple)) else [value] if value not in (None, "") else []
    for item in raw:
        scalar_check(item)
    values = split_values(raw)
    for item in values:
        text_check(item)
    return values


class ListTextInput(forms.TextInput):
    """A text box holding comma-separated values; reads repeated parameters too."""

    def value_from_datadict(self, data, files, name):
        return _raw_values(data, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(str(item) for item in value)
        return super().format_value(value)


class ListSelectMultiple(forms.SelectMultiple):
    def value_from_datadict(self, data, files, name):
        return split_values(_raw_values(data, name))


class TextListField(forms.Field):
    """A list of non-empty strings."""

    widget = ListTextInput

    def __init__(self, *, max_items: int = 50, max_length: int = 200, **kwargs):
        self.max_items = max_items
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_python(self, value):
        values = scalar_values(value)
        if len(values) > self.max_items:
            raise ValidationError(f"Give at most {self.max_items} values.", code="max_items")
        for item in values:
            if len(item) > self.max_length:
                raise ValidationError(f"Each value must be at most {self.max_length} characters.", code="max_length")
        return values


class IntegerListField(TextListField):
    """A list of positive whole numbers that fit a database id, e.g. lead ids."""

    MAX_ID = 2**63 - 1

    def to_python(self, value):
        values = super().to_python(value)
        try:
            numbers = [int(item) for item in values]
        except ValueError:
            raise ValidationError("Enter whole numbers separated by commas.", code="invalid") from None
        if any(not 1 <= number <= self.MAX_ID for number in numbers):
            raise ValidationError("Each id must be a positive whole number.", code="out_of_range")
        return numbers


class SpecTextField(forms.CharField):
    """One string (the search box's `q`): a JSON list or object is refused, not turned into text."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, str):
            raise ValidationError("Enter one piece of text, not a list or an object.", code="not_a_string")
        value = super().to_python(value)
        text_check(value)
        return value


class SplitMultipleChoiceField(forms.MultipleChoiceField):
    widget = ListSelectMultiple

    def to_python(self, value):
        return scalar_values(value)


class SplitModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = ListSelectMultiple

    def clean(self, value):
        try:
            values = scalar_values(value)
        except ValidationError as error:
            raise ValidationError(error.messages, code="invalid") from None
        if not values and not self.required:
            return []  # an empty queryset would filter everything out downstream
        return super().clean(values)


class StrictBooleanField(forms.Field):
    """true/false, yes/no, 1/0 or on/off; anything else is an error, blank means unset."""

    widget = forms.TextInput

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        if not isinstance(value, str | int):
            raise ValidationError("Enter true or false.", code="invalid_boolean")
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError("Enter true or false.", code="invalid_boolean")

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class IsoDateField(forms.DateField):
    """A calendar date as YYYY-MM-DD; an ISO date-time is accepted and its date kept.

    Dates are kept within years 1900-2999 so day arithmetic and time-zone
    conversion can never overflow.
    """

    input_formats = ["%Y-%m-%d"]
    EARLIEST = datetime.date(1900, 1, 1)
    LATEST = datetime.date(2999, 12, 31)

    def to_python(self, value):
        if value not in (None, "") and not isinstance(value, str | datetime.date):
            raise ValidationError("Enter a valid date as YYYY-MM-DD.", code="invalid")
        if isinstance(value, str) and len(value.strip()) > 10:
            try:
                day = datetime.datetime.fromisoformat(value.strip()).date()
            except ValueError:
                raise ValidationError("Enter a valid date as YYYY-MM-DD.", code="invalid") from None
        else:
            try:
                day = super().to_python(value)
            except ValidationError:
                raise ValidationError("Enter a valid date as YYYY-MM-DD.", code="invalid") from None
        if day is not None and not self.EARLIEST <= day <= self.LATEST:
            raise ValidationError("Enter a date between 1900-01-01 and 2999-12-31.", code="out_of_range")
        return day


class IsoDateTimeField(forms.Field):
    """An instant as an ISO 8601 date-time, e.g. 2026-03-01T07:00:00+00:00, kept in UTC.

    A date-time without an offset is read in the site's time zone. Years are kept
    within 1900-2999, as for dates.
    """

    # The year as written (in its own offset, or the site's time zone): what the OpenAPI schema's pattern says.
    EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
    MESSAGE = "Enter a valid date-time as YYYY-MM-DDTHH:MM:SS with an optional offset, e.g. +00:00."

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, str):
            try:
                value = datetime.datetime.fromisoformat(value.strip())
            except ValueError:
                raise ValidationError(self.MESSAGE, code="invalid") from None
        if not isinstance(value, datetime.datetime):
            raise ValidationError(self.MESSAGE, code="invalid")
        if not self.EARLIEST_YEAR <= value.year <= self.LATEST_YEAR:
            raise ValidationError("Enter a date-time between 1900 and 2999.", code="out_of_range")
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(datetime.UTC)


class AssigneeField(forms.CharField):
    """`assigned_to`: a user id, `none` (assigned to nobody) or `me` (the signed-in user).

    `me` is replaced by the user's id before the form reads it (LeadFilterSet's `user`), so a
    stored spec names the user; where no user is known it is refused with a message.
    """

    NOBODY = "none"
    ME = "me"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError("Enter a user id, “me” or “none”.", code="invalid")
        value = str(value).strip().lower()
        if value == self.NOBODY:
            return self.NOBODY
        if value == self.ME:
            raise ValidationError("“me” needs a signed-in user here; give a user id or “none”.", code="no_user")
        if not value.isdigit() or not 1 <= int(value) <= 2**31 - 1:
            raise ValidationError("Enter a user id, “me” or “none”.", code="invalid")
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(pk=int(value)).exists():
            raise ValidationError(f"There is no user with id {value}.", code="unknown_user")
        return int(value)


def names_me(data) -> bool:
    """True when `data` (a QueryDict or a dict) asks for `assigned_to=me`."""
    if not data:
        return False
    value = data.getlist("assigned_to")[-1:] if hasattr(data, "getlist") else data.get("assigned_to")
    if isinstance(value, list):
        value = value[-1] if value else None
    return isinstance(value, str) and value.strip().lower() == AssigneeField.ME
