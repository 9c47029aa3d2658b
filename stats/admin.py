"""Django admin for analysts who read Chinese: search by Chinese names and quotes, filter by
district, indicator, tier, initiative and qualifier, see each quote in its sentence, and
revert any change from its history (django-simple-history). Provenance is read-only.

What an edit of an observation or a candidate must pass before anything is saved:

- no lost update: the form carries the version it was loaded with (the newest history record),
  and a save made over a change someone else committed since is refused, naming who and when
  (:class:`VersionedForm`);
- no control character but tab, line feed and carriage return in any text
  (stats.extraction.control_characters: PostgreSQL refuses NUL, SQLite would keep it);
- an observation's quantity has the shape its qualifier gives, and is what its words read as
  (stats.extraction.invariants, the rule verify_corpus applies), unless the analyst says why it
  departs from them: the reason is kept on the row and in the history (:class:`ObservationForm`).

Logins are throttled by django-axes (config/settings.py); :func:`login_locked_out` is its page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from stats import ingest
from stats.extraction.control_characters import control_character_problem
from stats.extraction.invariants import StoredQuantity, bound_problems, reading_problems
from stats.extraction.quantities import FigureError, parse_quantity
from stats.ingest.articles import ArticleTextError, read_article_bytes
from stats.models import (
    Candidate,
    District,
    Indicator,
    Initiative,
    InitiativeMention,
    Observation,
    OrganisationTier,
    SourceDocument,
    TierChain,
    TierChainLink,
)
from stats.vocabulary import UNITS, DatePrecision

_SENTENCE_END = re.compile(r"[。！？；\n]")


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence holding ``text[start:end]``, split into before, the span, and after."""
    left = start
    while left > 0 and not _SENTENCE_END.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and not _SENTENCE_END.match(text[right]):
        right += 1
    if right < len(text):
        right += 1
    return text[left:start], text[start:end], text[end:right]


# --- logins ------------------------------------------------------------------------------------


def login_locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a login while its username and address are locked out
    (AXES_LOCKOUT_CALLABLE): the admin's login page saying why and for how long, status 429."""
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else None
    until = timezone.localtime() + cool_off if cool_off else None
    context = {
        **admin.site.each_context(request),
        "title": "Login locked · 登录已锁定",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": get_client_username(request, credentials) or "",
        "minutes": minutes,
        "until": until.strftime("%H:%M (UTC%z)") if until else None,
    }
    response = render(request, "admin/login_locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# --- what every edit must pass -----------------------------------------------------------------


def _no_control_characters(value: Any) -> None:
    if isinstance(value, str) and (problem := control_character_problem(value)):
        raise ValidationError(f"This text has {problem}.", code="control_character")


def refuse_control_characters(fields: dict[str, forms.Field]) -> None:
    """Every text field of a form refuses control characters (Django's own check refuses NUL
    only, without saying where)."""
    for field in fields.values():
        if isinstance(field, forms.CharField):
            kept = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]
            field.validators = [*kept, _no_control_characters]


class VersionedForm(forms.ModelForm):
    """A change form that refuses to save over a change committed after it was loaded.

    ``loaded_version`` (hidden) is the id of the row's newest history record when the form was
    made. On save the row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions hold the write lock already) and its newest record read again: if it is
    another, someone saved in between, and the form is refused naming who and when. Admin saves
    run in one transaction, so the check and the save cannot be split by another writer.

    Every text field also refuses control characters (other than tab, line feed and carriage
    return), naming the first one and where it is.
    """

    #: What the refusal calls the row: "observation", "candidate".
    record_name = "record"

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self._version(self._newest_record())
        refuse_control_characters(self.fields)

    def _newest_record(self) -> Any:
        model = type(self.instance)
        using = router.db_for_write(model)
        return (
            model.history.using(using)
            .filter(**{model._meta.pk.attname: self.instance.pk})
            .select_related("history_user")
            .order_by("-history_id")
            .first()
        )

    @staticmethod
    def _version(record: Any) -> str:
        return str(record.history_id) if record is not None else "0"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is not None:
            self._check_version(data.get("loaded_version") or "")
        return data

    def _check_version(self, loaded: str) -> None:
        model = type(self.instance)
        using = router.db_for_write(model)
        with transaction.atomic(using=using):
            # Held until the admin's transaction commits the save (PostgreSQL); a no-op where
            # the transaction already holds the database's write lock (SQLite).
            list(
                model._default_manager.using(using)
                .select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("pk", flat=True)
            )
            newest = self._newest_record()
        if not loaded:
            self.add_error(
                None,
                f"This form does not say which version of the {self.record_name} it was opened "
                "on; nothing was saved. Reload the page and make the change again.",
            )
        elif loaded != self._version(newest):
            user = newest.history_user.get_username() if newest.history_user else None
            who = user or "a command (no login)"
            reason = newest.history_change_reason
            when = timezone.localtime(newest.history_date).strftime("%Y-%m-%d %H:%M:%S %z")
            self.add_error(
                None,
                f"{who} changed this {self.record_name} at {when}"
                + (f" ({reason})" if reason else "")
                + ", after you opened it; nothing was saved. Reload the page to see their "
                "change, then make yours again.",
            )


def _atomic_post(view: Callable[..., Any], request: HttpRequest, *args: Any) -> HttpResponse:
    """``view`` answering ``request``; a POST in one transaction, as admin's change view does,
    so that :class:`VersionedForm`'s check and the save it allows cannot be split."""
    if request.method != "POST":
        return view(request, *args)  # type: ignore[no-any-return]
    with transaction.atomic(using=router.db_for_write(Observation)):
        return view(request, *args)  # type: ignore[no-any-return]


#: The quantity's columns an analyst edits, as the form names them.
_QUANTITY_FIELDS = (
    "value",
    "lower_bound",
    "lower_inclusive",
    "upper_bound",
    "upper_inclusive",
    "upper_by_convention",
    "qualifier",
)


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


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "pinyin", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "short_zh", "name_en", "pinyin"]
    autocomplete_fields = ["parent"]


@admin.register(OrganisationTier)
class OrganisationTierAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "rank"]
    search_fields = ["code", "name_zh", "name_en", "aliases"]
    ordering = ["rank"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "title", "place", "published_earliest", "published_precision"]
    list_filter = ["published_precision", ("place", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["slug", "title", "title_en", "outlet", "text"]
    readonly_fields = ["sha256", "text", "original_name"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "unit", "category", "tier", "national_term"]
    list_filter = ["category", "unit", "tier"]
    search_fields = ["code", "name_zh", "name_en", "definition", "national_term", "synonyms"]
    autocomplete_fields = ["tier"]


class InitiativeMentionInline(admin.TabularInline):
    model = InitiativeMention
    extra = 0
    fields = ["document", "start", "end", "quote"]
    readonly_fields = ["document", "start", "end", "quote"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "parent", "started_on"]
    list_filter = ["kind", ("districts", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name_zh", "name_en", "description", "aliases"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["districts"]
    inlines = [InitiativeMentionInline]


class TierChainLinkInline(admin.TabularInline):
    model = TierChainLink
    extra = 0
    fields = ["position", "tier", "words", "start", "end"]
    readonly_fields = ["words", "start", "end"]


@admin.register(TierChain)
class TierChainAdmin(SimpleHistoryAdmin):
    list_display = ["quote", "district", "document", "label"]
    list_filter = [("district", admin.RelatedOnlyFieldListFilter), "document"]
    search_fields = ["quote", "label", "links__words"]
    readonly_fields = ["document", "start", "end", "quote"]
    inlines = [TierChainLinkInline]


class ObservationForm(VersionedForm):
    """An observation's change form: a quantity must have the shape its qualifier gives, and be
    what its figure as written reads as, unless ``departure_reason`` says why not."""

    record_name = "observation"

    class Meta:
        model = Observation
        fields = [  # those ObservationAdmin's fieldsets edit
            "indicator",
            "district",
            "sub_unit",
            "tier",
            "initiative",
            "breakdown",
            "statistic",
            "status",
            "rank",
            "rank_reason",
            "period_label",
            "period_start",
            "period_end",
            "period_kind",
            *_QUANTITY_FIELDS,
            "unit",
            "note",
            "departure_reason",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk is None or any(name in self.errors for name in _QUANTITY_FIELDS):
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
class ObservationAdmin(SimpleHistoryAdmin):
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

    @admin.display(description="in its sentence · 原句")
    def in_sentence(self, obj: Observation) -> SafeString:
        before, figure, after = sentence_around(obj.document.text, obj.figure_start, obj.figure_end)
        return format_html("{}<mark><strong>{}</strong></mark>{}", before, figure, after)

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

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # A revert is a save like any other: its checks and its save in one transaction.
        return _atomic_post(
            super().history_form_view, request, object_id, version_id, extra_context
        )


# --- review of ingested articles -------------------------------------------------------------


class IngestForm(forms.Form):
    """A new article: its text file and what is known of it."""

    file = forms.FileField(help_text="the article as UTF-8 text")
    title = forms.CharField(max_length=255)
    title_en = forms.CharField(max_length=255, required=False, label="title (English)")
    outlet = forms.CharField(max_length=255)
    published = forms.DateField(help_text="YYYY-MM-DD")
    precision = forms.ChoiceField(
        choices=[(p.value, p.value) for p in DatePrecision], initial=DatePrecision.DAY.value
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.order_by("code"),
        to_field_name="code",
        required=False,
        help_text="whose figures these are unless the text says otherwise",
    )
    slug = forms.SlugField(max_length=64, required=False, help_text="default: from the title")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.INGEST_MAX_BYTES
        self.fields["file"].help_text = (
            f"the article as UTF-8 text, at most {limit:,} bytes ({limit / 1024:.0f} KiB); no "
            "control characters but tab and line ends"
        )
        refuse_control_characters(self.fields)


DECISIONS = [
    ("", "keep pending"),
    ("accept", "accept: make it an observation"),
    ("reject", "reject: not a statistic (give the reason)"),
    ("duplicate", "duplicate of an observation (give which)"),
]


class CandidateForm(VersionedForm):
    record_name = "candidate"

    decision = forms.ChoiceField(choices=DECISIONS, required=False)

    class Meta:
        model = Candidate
        fields = [
            "indicator",
            "district",
            "sub_unit",
            "tier",
            "initiative",
            "breakdown",
            "statistic",
            "figure_status",
            "period_label",
            "period_start",
            "period_end",
            "period_kind",
            "unit",
            "reason",
            "duplicate_of",
            "note",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == "reject" and not data.get("reason"):
            self.add_error("reason", "say why it is not a statistic")
        if decision == "duplicate" and not data.get("duplicate_of"):
            self.add_error("duplicate_of", "say which observation it repeats")
        return data

    def _post_clean(self) -> None:
        # The candidate as edited (the model's own validation has run): a decision that cannot
        # be taken is an ordinary form error, so nothing is saved and nothing is logged.
        super()._post_clean()  # type: ignore[misc]
        decision = self.cleaned_data.get("decision") if hasattr(self, "cleaned_data") else None
        if decision and not self.errors:
            problem = ingest.refusal(self.instance, decision)
            if problem:
                self.add_error("decision", problem)


#: The groupings of measures (seeds/vocabulary/indicators.yaml); a new measure takes one.
MEASURE_CATEGORIES = (
    "membership",
    "organisation",
    "cadres",
    "activity",
    "service",
    "platform",
    "economy",
    "governance",
)
_SYNONYM_SEPARATORS = re.compile(r"[,，、;；\s]+")


class DefineMeasureForm(forms.Form):
    """A new measure (indicator) for a candidate that no measure fits. Its code must be new:
    neither a measure's code nor one a measure replaced (the API still answers to those), nor
    one a deleted measure had."""

    code = forms.SlugField(
        max_length=80, help_text="stable identifier, lower case with underscores: volunteer_teams"
    )
    name_zh = forms.CharField(label="name (Chinese)", max_length=128, help_text="志愿服务队数")
    name_en = forms.CharField(label="name (English)", max_length=255, help_text="volunteer teams")
    definition = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="exactly what is counted, and what is not",
    )
    unit = forms.ChoiceField(
        choices=[(code, f"{code}: {u.label}") for code, u in UNITS.items()],
        help_text="the canonical unit its figures are in",
    )
    category = forms.ChoiceField(choices=[(c, c) for c in MEASURE_CATEGORIES])
    national_term = forms.CharField(
        max_length=64,
        required=False,
        help_text="the 党内统计公报 term, only where the measure is one of the bulletin's; "
        "empty: the project's own",
    )
    synonyms = forms.CharField(
        max_length=512,
        required=False,
        help_text="nouns that name it in texts, separated by 、 or commas; new articles are "
        "suggested this measure where one is the counted noun",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self.fields)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        existing = Indicator.objects.filter(code=code).first()
        if existing is not None:
            raise ValidationError(
                f"the measure {code!r} exists already ({existing}): choose it on the "
                "candidate's page, or give the new measure another code",
                code="exists",
            )
        for replacing, replaced in Indicator.objects.values_list("code", "replaces"):
            if code in (replaced or ()):
                raise ValidationError(
                    f"{code!r} was replaced by the measure {replacing!r} and is still answered "
                    "as its alias; a replaced code is never reused: give another code",
                    code="replaced",
                )
        if Indicator.history.filter(code=code).exists():
            raise ValidationError(
                f"a measure {code!r} existed and was deleted; a removed code is never reused: "
                "give another code",
                code="removed",
            )
        return code

    def clean_synonyms(self) -> list[str]:
        words = _SYNONYM_SEPARATORS.split(self.cleaned_data.get("synonyms") or "")
        return list(dict.fromkeys(w for w in words if w))


def define_measure(candidate: Candidate, data: dict[str, Any]) -> Indicator:
    """Create the measure ``data`` describes and set it on ``candidate``, both saved through
    the ORM (so in the history, naming the candidate), in one transaction."""
    if candidate.status != "pending":
        raise ingest.ReviewError(f"the candidate is {candidate.status} already")
    where = f"{candidate.document.slug}:{candidate.figure_start}"
    with transaction.atomic():
        indicator = Indicator(
            code=data["code"],
            name_zh=data["name_zh"],
            name_en=data["name_en"],
            definition=data["definition"],
            unit=data["unit"],
            category=data["category"],
            national_term=data["national_term"],
            synonyms=data["synonyms"],
        )
        reason = f"defined from candidate {where} ({candidate.raw})"
        indicator._change_reason = reason[:100]  # type: ignore[attr-defined]
        indicator.save()
        candidate.indicator = indicator
        candidate._change_reason = f"review: measure {indicator.code} defined"[:100]  # type: ignore[attr-defined]
        candidate.save()
    return indicator


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    """The review queue: pending figures with their sentence, the suggestions filled in."""

    form = CandidateForm
    change_list_template = "admin/stats/candidate/change_list.html"
    list_display = [
        "raw",
        "in_sentence",
        "indicator_or_gap",
        "district",
        "statistic",
        "period_label",
        "suggested_reason",
        "status",
    ]
    list_filter = ["status", "suggested_reason", "document"]
    search_fields = ["quote", "raw", "document__slug"]
    list_select_related = ["indicator", "district", "document"]
    autocomplete_fields = ["indicator", "district", "tier", "initiative"]
    raw_id_fields = ["duplicate_of"]
    readonly_fields = [
        "in_sentence",
        "document",
        "raw",
        "quote",
        "reading_error",
        "suggested_reason",
        "status",
        "observation",
        "counted_noun",
        "define_measure_link",
    ]
    fieldsets = [
        (
            "Figure · 数字",
            {
                "fields": [
                    "in_sentence",
                    "document",
                    "raw",
                    "quote",
                    "reading_error",
                    "loaded_version",
                ]
            },
        ),
        (
            "Meaning · 含义",
            {
                "fields": [
                    "counted_noun",
                    "indicator",
                    "define_measure_link",
                    "district",
                    "sub_unit",
                    "tier",
                    "initiative",
                    "breakdown",
                    "statistic",
                    "figure_status",
                ]
            },
        ),
        (
            "Period · 时期",
            {"fields": ["period_label", "period_start", "period_end", "period_kind", "unit"]},
        ),
        (
            "Decision · 审核",
            {
                "fields": [
                    "status",
                    "suggested_reason",
                    "decision",
                    "reason",
                    "duplicate_of",
                    "note",
                    "observation",
                ]
            },
        ),
    ]
    actions = ["accept_selected", "reject_as_suggested"]

    @admin.display(description="in its sentence · 原句")
    def in_sentence(self, obj: Candidate) -> SafeString:
        before, figure, after = sentence_around(obj.document.text, obj.figure_start, obj.figure_end)
        return format_html("{}<mark><strong>{}</strong></mark>{}", before, figure, after)

    @admin.display(description="measure · 指标", ordering="indicator__code")
    def indicator_or_gap(self, obj: Candidate) -> str:
        """The suggested measure, or what is counted when no measure fits it, with a link to
        define one."""
        if obj.indicator is not None:
            return str(obj.indicator)
        if obj.counted_noun:
            return format_html(
                '<a href="{}">no measure fits «{}»: define one</a>',
                reverse("admin:stats_candidate_define_measure", args=[obj.pk]),
                obj.counted_noun,
            )
        return "—"

    @admin.display(description="define a measure · 定义指标")
    def define_measure_link(self, obj: Candidate) -> str:
        if obj.pk is None or obj.status != "pending":
            return "—"
        what = f"for «{obj.counted_noun}»" if obj.counted_noun else "for this figure"
        return format_html(
            '<a href="{}">define a new measure {}</a> when none of the vocabulary fits',
            reverse("admin:stats_candidate_define_measure", args=[obj.pk]),
            what,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # candidates come from ingested articles

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        return _atomic_post(
            super().history_form_view, request, object_id, version_id, extra_context
        )

    def save_model(self, request: HttpRequest, obj: Candidate, form: Any, change: bool) -> None:
        decision = form.cleaned_data.get("decision")
        try:
            with transaction.atomic():
                super().save_model(request, obj, form, change)
                if decision == "accept":
                    ingest.accept(obj)
                elif decision == "reject":
                    ingest.reject(obj, obj.reason, obj.note)
                elif decision == "duplicate" and obj.duplicate_of is not None:
                    ingest.mark_duplicate(obj, obj.duplicate_of, obj.note)
        except ingest.ReviewError as error:
            self.message_user(request, f"{obj.raw}: {error}; nothing was saved", messages.ERROR)

    @admin.action(description="Accept selected candidates as they stand")
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        self._each(request, queryset, ingest.accept, "accepted")

    @admin.action(description="Reject selected candidates for the suggested reason")
    def reject_as_suggested(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        def decide(candidate: Candidate) -> None:
            if not candidate.suggested_reason:
                raise ingest.ReviewError("no reason was suggested; reject it on its page")
            ingest.reject(candidate, candidate.suggested_reason)

        self._each(request, queryset, decide, "rejected")

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Candidate],
        decide: Callable[[Candidate], object],
        done: str,
    ) -> None:
        count, problems = 0, []
        for candidate in queryset.select_related("document", "indicator__tier", "district"):
            try:
                with transaction.atomic():
                    decide(candidate)
                count += 1
            except ingest.ReviewError as error:
                problems.append(f"{candidate.raw} ({candidate.figure_start}): {error}")
        self.message_user(request, f"{count} candidate(s) {done}", messages.SUCCESS)
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.ingest_view)
        define = self.admin_site.admin_view(self.define_measure_view)
        return [
            path("ingest/", view, name="stats_candidate_ingest"),
            path(
                "<path:object_id>/define-measure/",
                define,
                name="stats_candidate_define_measure",
            ),
            *super().get_urls(),
        ]

    def define_measure_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A new measure from a candidate that no measure fits: created, set on the candidate,
        then the candidate's page to accept it under the measure."""
        if not (
            self.has_change_permission(request) and request.user.has_perm("stats.add_indicator")
        ):
            raise PermissionDenied
        candidate = self.get_object(request, object_id)
        if candidate is None:
            response: HttpResponse = self._get_obj_does_not_exist_redirect(
                request, self.opts, object_id
            )
            return response
        initial = {"synonyms": candidate.counted_noun, "national_term": ""}
        if candidate.unit in UNITS:
            initial["unit"] = candidate.unit
        form = DefineMeasureForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                indicator = define_measure(candidate, form.cleaned_data)
            except ingest.ReviewError as error:
                form.add_error(None, f"{error}; nothing was saved")
            else:
                self.message_user(
                    request,
                    f"measure {indicator.code} ({indicator}) defined and set on {candidate.raw}: "
                    "review the candidate and accept it",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:stats_candidate_change", args=[candidate.pk]))
        before, figure, after = sentence_around(
            candidate.document.text, candidate.figure_start, candidate.figure_end
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Define a measure · 定义指标",
            "form": form,
            "opts": self.model._meta,
            "candidate": candidate,
            "sentence": (before, figure, after),
        }
        return TemplateResponse(request, "admin/stats/candidate/define_measure.html", context)

    def ingest_view(self, request: HttpRequest) -> HttpResponse:
        """Upload an article: store it and queue its figures for review."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = IngestForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            try:
                # Refused from its size before it is read; never more than the limit in memory.
                text = read_article_bytes(upload, upload.size).decode("utf-8")
                district = data["district"]
                document, candidates = ingest.ingest_article(
                    ingest.Article(
                        text=text,
                        title=data["title"],
                        title_en=data["title_en"],
                        outlet=data["outlet"],
                        published=data["published"],
                        precision=DatePrecision(data["precision"]),
                        district=district.code if district else None,
                        original_name=data["file"].name,
                        slug=data["slug"],
                    )
                )
            except UnicodeDecodeError as error:
                form.add_error("file", f"not UTF-8 text: {error.reason} at byte {error.start}")
            except ArticleTextError as error:
                form.add_error("file", str(error))
            except ingest.IngestError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    f"{document.slug}: {len(candidates)} figure(s) queued for review",
                    messages.SUCCESS,
                )
                changelist = reverse("admin:stats_candidate_changelist")
                return redirect(f"{changelist}?document__id__exact={document.pk}&status=pending")
        context = {
            **self.admin_site.each_context(request),
            "title": "Ingest an article · 导入文章",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/stats/candidate/ingest.html", context)
