"""Filter fields shared by the API's list endpoints."""

import datetime

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time turned into UTC before it reaches the database.

    ISO 8601 allows offsets (up to ±23:59) that PostgreSQL refuses ("time zone displacement out of
    range"), and a date at the edge of the calendar can leave it when converted: both are a 400
    naming the parameter, never a database error.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return value
        try:
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError("This date-time is out of range.", code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField
