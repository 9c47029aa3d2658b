"""The admin of observations: search by Chinese names and quotes, filter by district,
indicator, tier, initiative and qualifier, see each quote in its sentence, and revert any
change from its history. Provenance is read-only, and a quantity must have the shape its
qualifier gives and be what its words read as, unless the analyst says why it departs from
them (:class:`ObservationForm`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from stats.admin.editing import FigureAdmin, VersionedForm
from stats.extraction.invariants import StoredQuantity, bound_problems, reading_problems
from stats.extraction.quantities import QUANTITY_COLUMNS, FigureError, parse_quantity
from stats.models import Observation
from stats.vocabulary import MEANING_COLUMNS


def _number(value: Decimal | None) -> str:
    """16000.0000 → 16000; None → none."""
    return "none" if value is None else format(value.normalize(), "f")


def describe_quantity(quantity: StoredQuantity) -> str:
    """A quantity in words, from its bounds: ``more than 250 and below 260
    (more_than_bounded)``, ``exactly 16000 (exact)``, ``about 600 (approximate)``."""
    value, low, high = quantity.value, quantity.lower_bound, quantity.upper_bound
    if low is None and high is None:
        words = f"about {_number(value)}" if value is not None else "no quantity"
    elif low == high == value and quantity.lower_inclusive and quantity.upper_inclusive:
        words = f"exactly {_number(value)}"
    else:
        sides = []
        if low is not None:
            bound = "at least" if quantity.lower_inclusive else "more than"
            sides.append(f"{bound} {_number(low)}")
        if high is not None:
            bound = "at most" if quantity.upper_inclusive else "below"
            sides.append(f"{bound} {_number(high)}")
        words = " and ".join(sides)
        if value is not None and value not in (low, high):
            words = f"{_number(value)}, {words}"
    return f"{words} ({quantity.qualifier})"


class ObservationForm(VersionedForm):
    """An observation's change form: a quantity must have the shape its qualifier gives, and be
    what its figure as written reads as, unless ``departure_reason`` says why not."""

    record_name = "observation"

    class Meta:
        model = Observation
        fields = [  # those ObservationAdmin's fieldsets edit
            *MEANING_COLUMNS,
            "status",
            "rank",
            "rank_reason",
            "period_label",
            "period_start",
            "period_end",
            "period_kind",
            *QUANTITY_COLUMNS,
            "unit",
            "note",
            "departure_reason",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk is None or any(name in self.errors for name in QUANTITY_COLUMNS):
            return data
        instance = self.instance
        edited = StoredQuantity(
            raw=instance.raw,
            value=data.get("value"),
            lower_bound=data.get("lower_bound"),
            lower_inclusive=data.get("lower_inclusive"),
            upper_bound=data.get("upper_bound"),
            upper_inclusive=data.get("upper_inclusive"),
            upper_by_convention=bool(data.get("upper_by_convention")),
            qualifier=data.get("qualifier") or "",
            mantissa=instance.mantissa,
            scale=instance.scale,
            scale_power=instance.scale_power,
        )
        shape = bound_problems(edited)
        if shape:
            self.add_error(
                None,
                f"The quantity does not have the shape {edited.qualifier} gives: "
                f"{'; '.join(shape)}.",
            )
        departs = reading_problems(edited)
        reason = (data.get("departure_reason") or "").strip()
        if not departs:
            data["departure_reason"] = ""  # kept only while the figure departs from its words
        elif not reason:
            self.add_error(None, self._departure_message(edited, departs))
        else:
            data["departure_reason"] = reason
        return data

    @staticmethod
    def _departure_message(edited: StoredQuantity, problems: list[str]) -> str:
        try:
            words = StoredQuantity.of(parse_quantity(edited.raw))
        except FigureError as error:
            said = f"{edited.raw} cannot be read ({error})"
        else:
            said = f"{edited.raw} reads as {describe_quantity(words)}"
            if describe_quantity(words) != describe_quantity(edited):
                said += f", not {describe_quantity(edited)}"
            else:
                said += f", but {'; '.join(problems)}"
        return (
            f"{said}; nothing was saved. To keep a figure that departs from its words, say why in "
            "“reason for departing from the words”."
        )


@admin.register(Observation)
class ObservationAdmin(FigureAdmin):
    form = ObservationForm
    list_display = [
        "raw",
        "indicator",
        "district",
        "sub_unit",
        "value",
        "qualifier",
        "unit",
        "statistic",
        "status",
        "rank",
        "period_label",
        "quote_short",
    ]
    list_filter = [
        # Only the places that have figures: the division table has thousands.
        ("district", admin.RelatedOnlyFieldListFilter),
        "indicator",
        "statistic",
        "status",
        "rank",
        "tier",
        "initiative",
        "qualifier",
        "unit",
        "period_kind",
        "document",
    ]
    search_fields = [
        "quote",
        "raw",
        "sub_unit",
        "indicator__name_zh",
        "indicator__code",
        "district__name_zh",
        "district__short_zh",
        "initiative__name_zh",
        "tier__name_zh",
        "note",
    ]
    list_select_related = ["indicator", "district", "document"]
    autocomplete_fields = ["indicator", "district", "tier", "initiative"]
    readonly_fields = [
        "document",
        "start",
        "end",
        "quote",
        "figure_start",
        "figure_end",
        "raw",
        "mantissa",
        "scale",
        "scale_power",
        "measure_word",
        "in_sentence",
        "series",
    ]
    fieldsets = [
        (
            "Meaning · 含义",
            {
                "fields": [
                    "indicator",
                    "district",
                    "sub_unit",
                    "tier",
                    "initiative",
                    "loaded_version",
                ]
            },
        ),
        (
            "Statistic · 统计",
            {"fields": ["breakdown", "statistic", "status", "series", "rank", "rank_reason"]},
        ),
        (
            "Period · 时期",
            {"fields": ["period_label", "period_start", "period_end", "period_kind"]},
        ),
        (
            "Quantity · 数值",
            {
                "fields": [
                    "value",
                    ("lower_bound", "lower_inclusive"),
                    ("upper_bound", "upper_inclusive"),
                    "upper_by_convention",
                    "qualifier",
                    "unit",
                    "note",
                    "departure_reason",
                ]
            },
        ),
        (
            "Source · 出处 (read-only)",
            {
                "fields": [
                    "in_sentence",
                    "document",
                    ("start", "end"),
                    "quote",
                    ("figure_start", "figure_end"),
                    "raw",
                    ("mantissa", "scale", "scale_power", "measure_word"),
                ]
            },
        ),
    ]

    @admin.display(description="quote")
    def quote_short(self, obj: Observation) -> str:
        return obj.quote if len(obj.quote) <= 40 else obj.quote[:39] + "…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Observations come from annotated texts; a new one without a source would be untraceable.
        return False

    def save_model(self, request: HttpRequest, obj: Observation, form: Any, change: bool) -> None:
        if obj.departure_reason:
            # The history's change reason holds 100 characters; the whole reason is kept in the
            # row's (and so the history record's) departure_reason.
            reason = f"departs from its words: {obj.departure_reason}"
            obj._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)
