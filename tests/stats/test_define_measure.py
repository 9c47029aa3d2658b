"""A figure no measure fits: the reviewer defines the measure from the queue, accepts the
candidate under it, and the export carries the measure with the annotations, so the reviewed
corpus rebuilds from seeds/ (issue 14, point 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from stats.extraction.corpus import build_corpus
from stats.extraction.sources import read_seed_sources
from stats.models import Candidate, Indicator, Observation, SourceDocument
from tests.stats.test_ingest import _review_in_admin, _upload

pytestmark = pytest.mark.django_db

#: The measure a reviewer defines for 数十个小区 of the xinglin article.
COMPOUNDS = {
    "code": "residential_compounds_with_party_branch",
    "name_zh": "成立党支部的小区数",
    "name_en": "residential compounds with a party branch",
    "definition": "Number of residential compounds (小区) in which a party branch has been set "
    "up; the branches themselves are residential_compound_party_branches.",
    "unit": "count",
    "category": "organisation",
    "national_term": "",
    "synonyms": "小区、成立党支部的小区",
}


@pytest.fixture
def analyst(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("definer", "d@example.org", "pw-define-1")
    client.force_login(user)
    return client


def _gap(client: Client) -> Candidate:
    _upload(client)
    document = SourceDocument.objects.get(slug="xinglin-2024")
    gap = document.candidates.get(raw="数十个")
    assert (gap.indicator, gap.counted_noun) == (None, "小区")
    return gap


def _define(client: Client, candidate: Candidate, **fields: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/admin/stats/candidate/{candidate.pk}/define-measure/", {**COMPOUNDS, **fields}
    )


def test_the_queue_and_the_candidate_page_link_to_the_form_prefilled_with_the_noun(
    analyst: Client,
):
    gap = _gap(analyst)
    url = f"/admin/stats/candidate/{gap.pk}/define-measure/"
    queue = analyst.get(f"/admin/stats/candidate/?document__id__exact={gap.document_id}")
    assert f'<a href="{url}">no measure fits «小区»: define one</a>' in queue.content.decode()
    page = analyst.get(f"/admin/stats/candidate/{gap.pk}/change/")
    assert f'<a href="{url}">define a new measure for «小区»</a>' in page.content.decode()
    form = analyst.get(url)
    assert form.status_code == 200
    bound = form.context["form"]
    assert (bound["synonyms"].value(), bound["national_term"].value()) == ("小区", "")
    assert "<mark><strong>数十个</strong></mark>" in form.content.decode()


def test_define_accept_history_export_and_rebuild(analyst: Client, tmp_path: Path):
    gap = _gap(analyst)
    response = _define(analyst, gap)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/admin/stats/candidate/{gap.pk}/change/"

    measure = Indicator.objects.get(code=COMPOUNDS["code"])
    assert (measure.unit, measure.category, measure.national_term, measure.synonyms) == (
        "count",
        "organisation",
        "",
        ["小区", "成立党支部的小区"],
    )
    gap.refresh_from_db()
    assert gap.indicator == measure

    # Both in the history, naming the candidate and who did it.
    (created,) = Indicator.history.filter(code=measure.code)
    assert created.history_type == "+"
    assert (
        created.history_change_reason
        == f"defined from candidate xinglin-2024:{gap.figure_start} (数十个)"
    )
    assert created.history_user.username == "definer"
    newest = Candidate.history.filter(id=gap.pk).order_by("-history_id").first()
    assert newest.history_change_reason == f"review: measure {measure.code} defined"
    assert newest.indicator_id == measure.pk

    # Accepted under the new measure.
    period = {"period_label": "2023年", "period_start": "2023-01-01", "period_end": "2023-12-31"}
    response = _review_in_admin(
        analyst, Candidate.objects.get(pk=gap.pk), period_kind="stock", decision="accept", **period
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    observation = Candidate.objects.get(pk=gap.pk).observation
    assert observation.indicator == measure
    assert (observation.qualifier, observation.lower_bound, observation.unit) == (
        "vague",
        20,
        "count",
    )

    # Everything else rejected as suggested; then exported into a copy of the seeds.
    document = gap.document
    rest = document.candidates.filter(status="pending")
    analyst.post(
        "/admin/stats/candidate/",
        {"action": "reject_as_suggested", "_selected_action": [c.pk for c in rest]},
    )
    for candidate in document.candidates.filter(status="pending"):
        _review_in_admin(analyst, candidate, decision="reject", reason="structure")
    assert not document.candidates.filter(status="pending").exists()
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.SEEDS_DIR, seeds)
    before = (seeds / "vocabulary" / "indicators.yaml").read_text(encoding="utf-8")
    call_command("export_annotations", "xinglin-2024", "--seeds", str(seeds))

    after = (seeds / "vocabulary" / "indicators.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # appended at the end, nothing else changed
    (entry,) = yaml.safe_load(after[len(before) :])
    assert entry["code"] == measure.code and entry["synonyms"] == ["小区", "成立党支部的小区"]
    annotations = (seeds / "annotations" / "xinglin-2024.yaml").read_text(encoding="utf-8")
    assert f"indicator: {measure.code}" in annotations

    sources = read_seed_sources(seeds)
    assert sources.indicators[-1].code == measure.code
    corpus = build_corpus(sources)
    assert [str(e) for e in corpus.errors] == []
    assert corpus.untriaged == 0
    (rebuilt,) = [
        r
        for r in corpus.observations
        if r.document == "xinglin-2024" and r.indicator == measure.code
    ]
    stored = Observation.objects.get(pk=observation.pk)
    assert (
        rebuilt.figure_start, rebuilt.quote, rebuilt.district, rebuilt.period_label,
        rebuilt.period_kind.value, rebuilt.quantity.value, rebuilt.quantity.lower_bound,
        rebuilt.quantity.upper_bound, rebuilt.quantity.qualifier.value, rebuilt.unit,
    ) == (
        stored.figure_start, stored.quote, stored.district.code, stored.period_label,
        stored.period_kind, stored.value, stored.lower_bound, stored.upper_bound,
        stored.qualifier, stored.unit,
    )  # fmt: skip

    # Exported twice, the measure is not appended twice.
    call_command("export_annotations", "xinglin-2024", "--seeds", str(seeds))
    assert (seeds / "vocabulary" / "indicators.yaml").read_text(encoding="utf-8") == after


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("party_members", "the measure &#x27;party_members&#x27; exists already"),
        (
            "community_party_organisations",
            "&#x27;community_party_organisations&#x27; was replaced by the measure "
            "&#x27;grassroots_party_organisations&#x27;",
        ),
    ],
)
def test_a_code_that_exists_or_was_replaced_is_refused_on_the_form(
    analyst: Client, code: str, message: str
):
    gap = _gap(analyst)
    indicators = Indicator.objects.count()
    response = _define(analyst, gap, code=code)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Indicator.objects.count() == indicators
    gap.refresh_from_db()
    assert gap.indicator is None


def test_a_code_of_a_deleted_measure_is_refused(analyst: Client):
    gap = _gap(analyst)
    Indicator.objects.create(
        code="old_measure", name_zh="旧", name_en="old", definition="d", unit="count", category="x"
    ).delete()
    response = _define(analyst, gap, code="old_measure")
    assert "existed and was deleted" in response.content.decode()


def test_a_reviewed_candidate_gets_no_new_measure(analyst: Client):
    gap = _gap(analyst)
    _review_in_admin(analyst, gap, decision="reject", reason="structure")
    response = _define(analyst, gap)
    assert response.status_code == 200
    assert "the candidate is rejected already; nothing was saved" in response.content.decode()
    assert not Indicator.objects.filter(code=COMPOUNDS["code"]).exists()


def test_export_refuses_a_measure_whose_code_the_seeds_list_as_replaced(
    analyst: Client, tmp_path: Path
):
    """A database measure reusing a code the seeds retired (made outside the form) would make
    the rebuilt corpus answer the old alias with another concept: export writes nothing."""
    gap = _gap(analyst)
    assert _define(analyst, gap).status_code == 302
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.SEEDS_DIR, seeds)
    vocabulary = seeds / "vocabulary" / "indicators.yaml"
    vocabulary.write_text(
        vocabulary.read_text(encoding="utf-8").replace(
            "  replaces: [non_public_enterprise_party_organisations,",
            f"  replaces: [{COMPOUNDS['code']}, non_public_enterprise_party_organisations,",
        ),
        encoding="utf-8",
    )
    period = {"period_label": "2023年", "period_start": "2023-01-01", "period_end": "2023-12-31"}
    _review_in_admin(
        analyst, Candidate.objects.get(pk=gap.pk), period_kind="stock", decision="accept", **period
    )
    document = gap.document
    for candidate in document.candidates.filter(status="pending"):
        _review_in_admin(analyst, candidate, decision="reject", reason="structure")
    written = vocabulary.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="as replaced by 'grassroots_party_organisations'"):
        call_command("export_annotations", "xinglin-2024", "--seeds", str(seeds))
    assert vocabulary.read_text(encoding="utf-8") == written
    assert not (seeds / "annotations" / "xinglin-2024.yaml").exists()


def test_a_reviewer_who_may_not_add_measures_is_refused(analyst: Client, client: Client):
    gap = _gap(analyst)
    reviewer = get_user_model().objects.create_user("reviewer", "r@example.org", "pw-review-1")
    reviewer.is_staff = True
    reviewer.save()
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_candidate", "change_candidate"])
    )
    client.force_login(reviewer)
    response = _define(client, gap)
    assert response.status_code == 403
    assert not Indicator.objects.filter(code=COMPOUNDS["code"]).exists()
