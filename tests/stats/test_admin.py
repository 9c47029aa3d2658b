"""Admin works for an analyst who reads Chinese, and every edit is in the history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from stats.admin import sentence_around
from stats.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("analyst", "a@example.org", "pw-analyst-1")
    client.force_login(user)
    return client


def test_admin_requires_login(client: Client):
    response = client.get("/admin/stats/observation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_observation_search_finds_chinese_quotes(analyst: Client):
    response = analyst.get("/admin/stats/observation/", {"q": "小区党支部"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "386个" in body
    assert "304个" in body
    assert "1.6万名" not in body


def test_observation_filter_by_district_counts_jimei_figures(analyst: Client):
    jimei = Observation.objects.filter(district__code="350211")
    response = analyst.get(
        "/admin/stats/observation/", {"district__id__exact": jimei.first().district_id}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == jimei.count() == 48


def test_observation_filter_by_qualifier_shows_only_more_than(analyst: Client):
    response = analyst.get("/admin/stats/observation/", {"qualifier__exact": "more_than"})
    shown = list(response.context["cl"].result_list)
    assert {o.qualifier for o in shown} == {"more_than"}
    assert "超1300人次" in {o.raw for o in shown}


def test_change_page_shows_the_figure_highlighted_in_its_sentence(analyst: Client):
    o = Observation.objects.get(document__slug="jimei-2021", raw="1.6万名")
    body = analyst.get(f"/admin/stats/observation/{o.pk}/change/").content.decode()
    assert "去年，全区<mark><strong>1.6万名</strong></mark>党员" in body
    # Provenance is read-only: no input named quote or start.
    assert 'name="quote"' not in body
    assert 'name="start"' not in body


def test_sentence_around_stops_at_chinese_sentence_ends():
    text = "第一句。去年，全区1.6万名党员参与。下一句"
    assert sentence_around(text, 9, 14) == ("去年，全区", "1.6万名", "党员参与。")


def test_an_admin_edit_is_recorded_in_history_and_can_be_reverted(analyst: Client):
    o = Observation.objects.get(document__slug="jimei-2021", raw="215场")
    o.value = Decimal(216)
    o.lower_bound = o.upper_bound = Decimal(216)
    o._change_reason = "typo test"
    o.save()
    latest, previous = o.history.all()[:2]
    assert latest.value == Decimal(216)
    assert previous.value == Decimal(215)
    previous.instance.save()
    o.refresh_from_db()
    assert o.value == Decimal(215)
    history_page = analyst.get(f"/admin/stats/observation/{o.pk}/history/")
    assert history_page.status_code == 200
    assert "typo test" in history_page.content.decode()


def test_observations_cannot_be_added_by_hand(analyst: Client):
    assert analyst.get("/admin/stats/observation/add/").status_code == 403


def test_an_observation_is_named_by_its_figure_and_codes_not_row_ids():
    observation = Observation.objects.get(document__slug="jimei-2021", raw="1.6万名")
    assert str(observation) == "1.6万名 · party_members · 350211"
    assert Observation._meta.verbose_name_plural == "observations · 数据"
