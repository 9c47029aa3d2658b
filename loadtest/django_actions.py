"""The database, seen from Django: run in a subprocess with the server's settings
(``python -m loadtest.run --django-action ACTION``), a JSON request in, a JSON answer out."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from loadtest.base import PYTHON, ROOT


def django_prepare(request: dict[str, Any]) -> dict[str, Any]:
    """Migrate, load the corpus, create the analysts; return the catalog and a baseline."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_corpus", stdout=io.StringIO())
    users = get_user_model()
    for name in request["users"]:
        users.objects.create_superuser(name, f"{name}@loadtest.invalid", request["password"])
    from stats.models import District, Indicator, Observation, SourceDocument

    observations = list(
        Observation.objects.order_by("pk").values_list("pk", "document__slug", "figure_start")
    )
    return {
        "observations": [
            {"pk": pk, "api_id": f"{slug}:{start}"} for pk, slug, start in observations
        ],
        "indicators": sorted(
            Indicator.objects.filter(observations__isnull=False)
            .values_list("code", flat=True)
            .distinct()
        ),
        "districts": sorted(
            District.objects.filter(observations__isnull=False)
            .values_list("code", flat=True)
            .distinct()
        ),
        "all_districts": sorted(District.objects.values_list("code", flat=True)),
        "documents": sorted(SourceDocument.objects.values_list("slug", flat=True)),
        **django_state({"since_history": 0, "since_log": 0}),
    }


def django_state(request: dict[str, Any]) -> dict[str, Any]:
    """Every observation's note, the history and admin log made since the given ids, the row
    count of every historical table, and the data version."""
    from django.apps import apps
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.db.models import Count, Max

    from stats.data_version import current_version
    from stats.models import Observation

    history = Observation.history.model
    rows = (
        history.objects.filter(history_id__gt=request["since_history"])
        .order_by("history_id")
        .values_list(
            "history_id", "id", "note", "history_user__username", "history_type", "history_date"
        )
    )
    entries = (
        LogEntry.objects.filter(
            pk__gt=request["since_log"],
            content_type__app_label="stats",
            content_type__model="observation",
            action_flag=CHANGE,
        )
        .values_list("user__username")
        .annotate(count=Count("pk"))
    )
    counts = {
        model._meta.db_table: model._default_manager.count()
        for model in apps.get_app_config("stats").get_models()
        if model.__name__.startswith("Historical")
    }
    return {
        "notes": {str(pk): note for pk, note in Observation.objects.values_list("pk", "note")},
        "fields": {
            str(row.pop("id")): {name: plain(value) for name, value in row.items()}
            for row in Observation.objects.values(
                *(f.attname for f in Observation._meta.concrete_fields if f.name != "note")
            )
        },
        "history": [
            [hid, pk, note, user, kind, date.isoformat()]
            for hid, pk, note, user, kind, date in rows
        ],
        "max_history": history.objects.aggregate(m=Max("history_id"))["m"] or 0,
        "max_log": LogEntry.objects.aggregate(m=Max("pk"))["m"] or 0,
        "log_entries": dict(entries),
        "history_counts": counts,
        "data_version": current_version().number,
    }


def plain(value: Any) -> Any:
    """A column value as JSON: decimals as plain strings (16000, not 1.6E+4), dates in ISO."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


DJANGO_ACTIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "prepare": django_prepare,
    "state": django_state,
}


def django_main(action: str) -> int:
    """Run a Django action: a JSON request on standard input, the JSON answer on standard
    output (anything else Django prints goes to standard error)."""
    import django

    request = json.load(sys.stdin)
    with contextlib.redirect_stdout(sys.stderr):
        django.setup()
        answer = DJANGO_ACTIONS[action](request)
    print(json.dumps(answer))
    return 0


def django_call(env: Mapping[str, str], action: str, request: dict[str, Any]) -> dict[str, Any]:
    """``django_main(action)`` in a subprocess with the server's environment."""
    result = subprocess.run(
        [PYTHON, "-m", "loadtest.run", "--django-action", action],
        cwd=ROOT, env=dict(env), input=json.dumps(request), capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"loadtest: Django action {action} failed:\n{result.stderr[-4000:]}")
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer
