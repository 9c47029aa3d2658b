"""A new measure (indicator), defined from a candidate figure that no measure of the
vocabulary fits: its form, its creation (in the history, naming the candidate) and its page."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from stats import ingest
from stats.admin.editing import refuse_control_characters, sentence_around
from stats.models import Candidate, Indicator
from stats.vocabulary import UNITS

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


def define_measure_page(
    model_admin: admin.ModelAdmin[Candidate], request: HttpRequest, candidate: Candidate
) -> HttpResponse:
    """The page to define a new measure for ``candidate``, which no measure fits: created, set
    on the candidate, then the candidate's page to accept it under the measure."""
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
            model_admin.message_user(
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
        **model_admin.admin_site.each_context(request),
        "title": "Define a measure · 定义指标",
        "form": form,
        "opts": model_admin.model._meta,
        "candidate": candidate,
        "sentence": (before, figure, after),
    }
    return TemplateResponse(request, "admin/stats/candidate/define_measure.html", context)
