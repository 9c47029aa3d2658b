"""What every edit of a figure (an observation, a candidate) must pass before anything is
saved: no lost update (:class:`VersionedForm`) and no control character in any text
(:func:`refuse_control_characters`); and how a figure is shown, in its sentence, with a revert
from its history checked and saved in one transaction (:class:`FigureAdmin`)."""

# simple_history ships no type information: its admin base class is Any.

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import router, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from stats.extraction.control_characters import control_character_problem
from stats.models import Candidate, Observation

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


class FigureAdmin(SimpleHistoryAdmin):
    """The admin of a figure read from a text (an observation, a candidate): the figure shown
    in its sentence, and a revert from its history saved like any other change, its checks
    and its save in one transaction."""

    @admin.display(description="in its sentence · 原句")
    def in_sentence(self, obj: Observation | Candidate) -> SafeString:
        before, figure, after = sentence_around(obj.document.text, obj.figure_start, obj.figure_end)
        return format_html("{}<mark><strong>{}</strong></mark>{}", before, figure, after)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # A revert is a save like any other: its checks and its save in one transaction.
        return _atomic_post(
            super().history_form_view, request, object_id, version_id, extra_context
        )
