"""The parts the filter sets of API v1 are made of (stats.api.v1.filters): fields and filters
for codes, choices, breakdowns, series keys, quantities, dates, booleans and facets; the filter
set base that copies only the filters a request names; the backend that skips an unnamed set."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stats.models import District, Observation
from stats.selectors import FACETS, district_subtree_codes, indicator_aliases
from stats.vocabulary import (
    BreakdownError,
    breakdown_key,
    parse_breakdown,
)


class _EmptyValuesDropped:
    """A field of repeatable values where an empty value (?district=) names nothing: given
    alone it is no filter, as with every other parameter, rather than "'' is not one of the
    available choices"."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            value = [v for v in value if v != ""]
        return super().clean(value)  # type: ignore[misc]


class CodesField(_EmptyValuesDropped, django_filters.fields.ModelMultipleChoiceField):
    pass


class IndicatorCodesField(CodesField):
    """Indicator codes, where a code a measure replaced still names that measure (a v1
    client's deprecated alias); the aliases are looked up only when a code is not found."""

    def _check_values(self, value: Any) -> Any:
        try:
            return super()._check_values(value)
        except forms.ValidationError:
            aliases = indicator_aliases()
            resolved = [aliases.get(code, code) for code in value]
            if resolved == list(value):
                raise
            return super()._check_values(resolved)


class ChoicesField(_EmptyValuesDropped, django_filters.fields.MultipleChoiceField):
    pass


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """One or more of fixed choices (?qualifier=more_than&qualifier=nearly)."""

    field_class = ChoicesField


class CodeMultipleFilter(django_filters.ModelMultipleChoiceFilter):
    """Several values by natural key, repeated (?district=350206&district=350211).

    ``field_name`` is the foreign key and its natural key (``district__code``). The codes are
    checked against the table, then the rows are filtered on the foreign key itself
    (``district_id IN (…)``), so an index on it serves the filter without a join; and no
    DISTINCT, which a foreign key never needs."""

    field_class = CodesField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)
        # The schema of each value: a string, described by this filter's help text.
        extend_schema_field({"type": "string", "description": kwargs.get("help_text", "")})(self)

    def get_filter_predicate(self, v: Any) -> dict[str, Any]:
        relation, _, _ = self.field_name.rpartition("__")
        return {relation: v}

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        # Not asked for: the field cleans to an empty queryset, which django-filter would test
        # for truth by compiling it. Its query knows it is empty without that.
        if isinstance(value, QuerySet) and value.query.is_empty():
            return qs
        filtered: QuerySet[Any] = super().filter(qs, value)
        return filtered


class IndicatorCodeChoiceField(django_filters.fields.ModelChoiceField):
    """One indicator code, where a code a measure replaced still names that measure."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            successor = indicator_aliases().get(value) if isinstance(value, str) else None
            if successor is None:
                raise
            return super().to_python(successor)


class IndicatorCodeFilter(CodeMultipleFilter):
    """Indicator codes, deprecated aliases included (see IndicatorCodesField)."""

    field_class = IndicatorCodesField


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the view's filters: an unfiltered
    list then costs no form, only the filter set's defaults. Otherwise exactly
    DjangoFilterBackend (400 on bad values)."""

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        if filterset_class.base_filters.keys().isdisjoint(request.query_params.keys()):
            return filterset_class.with_defaults(queryset, request.query_params)
        return super().filter_queryset(request, queryset, view)


_VALUE = Observation._meta.get_field("value")


#: Observation values are below this in size (the column's digits before the point).
QUANTITY_LIMIT = Decimal(10) ** (_VALUE.max_digits - _VALUE.decimal_places)


class WithinFilter(django_filters.ModelChoiceFilter):
    """A place code: the rows of that place and of every place below it; ``field_name`` is
    the place's code as the rows reach it (``code``, ``district__code``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", District.objects.all())
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)
        extend_schema_field({"type": "string", "description": kwargs.get("help_text", "")})(self)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.field_name}__in": district_subtree_codes(value.code)})


class QuantityFilter(django_filters.NumberFilter):
    """A bound on ``value``, itself within what the column can hold; the schema says so."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("field_name", "value")
        kwargs.setdefault("min_value", -QUANTITY_LIMIT)
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "number",
                "minimum": -int(QUANTITY_LIMIT),
                "maximum": int(QUANTITY_LIMIT),
                "description": kwargs.get("help_text", ""),
            }
        )(self)

    def get_max_validator(self) -> MaxValueValidator:
        return MaxValueValidator(QUANTITY_LIMIT)


class DateBoundFilter(django_filters.DateFilter):
    """A date (YYYY-MM-DD) bounding the period of a figure."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": "must be a date YYYY-MM-DD"})
        super().__init__(*args, **kwargs)


#: Form classes kept, one per set of filters named (the commonest sets; any other is built).
FORM_CLASSES = 512


class FilterSet(django_filters.FilterSet):
    """A filter set holding only the filters the request names (and the required ones), with
    their form class built once per set of names. django-filter deep-copies every filter of
    the set for every request, model querysets included, and rebuilds the form class, which
    cost more than the rest of the request; a filter the request does not name would clean to
    nothing and narrow nothing, so leaving it out changes no answer."""

    _form_classes: ClassVar[dict[tuple[Any, ...], type[Any]]] = {}
    #: Filters applied when the request does not name them: parameter → (field, value).
    defaults: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        keys = set(self.data)
        self.filters = {
            name: copy.deepcopy(filter_)
            for name, filter_ in self.base_filters.items()
            if not self.is_bound
            or filter_.extra.get("required")
            or name in keys
            or any(key.startswith(f"{name}_") for key in keys)  # a widget's suffixed keys
        }
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self) -> type[Any]:
        key = (type(self), *self.filters)
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            if len(self._form_classes) < FORM_CLASSES:
                self._form_classes[key] = form_class
        return form_class

    @classmethod
    def with_defaults(cls, queryset: QuerySet[Any], params: Any) -> QuerySet[Any]:
        """``queryset`` with the default of every defaulted filter the request leaves out."""
        for name, (field, value) in cls.defaults.items():
            if not params.get(name):
                queryset = queryset.filter(**{field: value})
        return queryset

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return self.with_defaults(super().filter_queryset(queryset), self.data)


def bounded_text(help_text: str, max_length: int, **kwargs: Any) -> django_filters.CharFilter:
    """A text parameter with a length limit the schema states (longer: 400 naming it)."""
    text = django_filters.CharFilter(max_length=max_length, help_text=help_text, **kwargs)
    extend_schema_field({"type": "string", "maxLength": max_length, "description": help_text})(text)
    return text


ANY = "any"


class AnyOrChoicesFilter(ChoicesFilter):
    """One or more of fixed choices, or ``any`` for no restriction (these filters have a
    default: ``status`` actual, ``rank`` preferred)."""

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, choices=[*choices, (ANY, ANY)], **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value or ANY in value:
            return qs
        filtered: QuerySet[Any] = super().filter(qs, value)
        return filtered


class MultipleValuesField(_EmptyValuesDropped, forms.MultipleChoiceField):
    """Repeatable text values of at most 512 characters: the filter checks their meaning."""

    def valid_value(self, value: Any) -> bool:
        return isinstance(value, str) and len(value) <= 512


#: The shape of a breakdown parameter: total, or dimension:category pairs joined by commas.
BREAKDOWN_PATTERN = r"^(total|_T|[a-z_]+:[a-z0-9_]+(,[a-z_]+:[a-z0-9_]+)*)$"


class BreakdownFilter(django_filters.MultipleChoiceFilter):
    """Breakdowns as dimension:category (sex:female; several dimensions joined by commas), or
    ``total``; repeated for several."""

    field_class = MultipleValuesField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "string",
                "maxLength": 255,
                "pattern": BREAKDOWN_PATTERN,
                "description": kwargs.get("help_text", ""),
            }
        )(self)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        keys = []
        for text in value or []:
            if not text:
                continue
            try:
                keys.append(breakdown_key(parse_breakdown(text[:255])))
            except BreakdownError as error:
                raise serializers.ValidationError({self.field_name: [str(error)]}) from None
        if not keys:
            return qs
        return qs.filter(**{f"{self.field_name}__in": keys})


#: The shape of a series key: eight parts joined by dots (stats.vocabulary.series_key).
SERIES_KEY_PATTERN = r"^[^.\x00]+(\.[^.\x00]+){7}$"


class SeriesKeyFilter(django_filters.MultipleChoiceFilter):
    """Series keys, repeated for several; a value not of a key's shape is a 400."""

    field_class = MultipleValuesField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "string",
                "maxLength": 512,
                "pattern": SERIES_KEY_PATTERN,
                "description": kwargs.get("help_text", ""),
            }
        )(self)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        keys = [v for v in value or [] if v]
        for key in keys:
            if not re.fullmatch(SERIES_KEY_PATTERN, key):
                raise serializers.ValidationError(
                    {
                        "series": [
                            f"{key[:60]!r} is not a series key (measure.place.sub_unit."
                            "breakdown.statistic.status.tier.initiative)"
                        ]
                    }
                )
        return qs.filter(**{f"{self.field_name}__in": keys}) if keys else qs


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); empty is not asked for; anything else is a 400, not "unknown"."""

    widget = forms.TextInput  # the select widget would read any other text as "unknown"

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        if value in ("true", "1", True):
            return True
        if value in ("false", "0", False):
            return False
        raise forms.ValidationError(
            "must be true or false, not %(value)s", params={"value": repr(str(value)[:50])}
        )

    def validate(self, value: Any) -> None:
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A boolean parameter: true or false."""

    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extend_schema_field({"type": "boolean", "description": kwargs.get("help_text", "")})(self)


def values(data: Any, name: str) -> list[Any]:
    """Every value of parameter ``name`` in ``data`` (a QueryDict or a plain mapping)."""
    if hasattr(data, "getlist"):
        return list(data.getlist(name))
    value = data.get(name)
    return list(value) if isinstance(value, list | tuple) else [] if value is None else [value]


#: Facets one request may ask for: each is a GROUP BY over the whole filtered set.
MAX_FACETS = 5


def facet_names(values: list[str]) -> list[str]:
    """The facets named by the ``facets`` parameter's values (repeated or comma-separated),
    each once; a ValidationError names an unknown one or too many."""
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in FACETS]
    if unknown:
        raise forms.ValidationError(
            f"unknown facet {unknown[0][:50]!r}; available: {', '.join(FACETS)}"
        )
    if len(names) > MAX_FACETS:  # as named, repeats included: the schema's maxItems
        raise forms.ValidationError(f"at most {MAX_FACETS} facets in one request, not {len(names)}")
    return list(dict.fromkeys(names))


class FacetsField(forms.MultipleChoiceField):
    """Facet names, repeated or joined by commas."""

    def clean(self, value: Any) -> list[str]:
        return facet_names([v for v in value or [] if isinstance(v, str)])


class FacetsFilter(django_filters.Filter):
    """Facets to count over the filtered set (``selectors.facet_counts``): a parameter of the
    filter set, so it is validated and documented with the filters, but it narrows nothing."""

    field_class = FacetsField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "array",
                "items": {"type": "string", "enum": list(FACETS)},
                "maxItems": MAX_FACETS,
                "description": kwargs.get("help_text", ""),
            }
        )(self)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs
