"""An analyst, in a real browser, logs in to admin, corrects a figure, sees the API serve the
correction at once, and reverts it from the figure's history.

The figure is Jimei's party membership: 全区1.6万名党员, read as exactly 16000 people (value,
lower and upper bound all 16000). Each key step leaves a screenshot in var/e2e-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from playwright.sync_api import APIResponse, Page, expect
from pytest_django.live_server_helper import LiveServer

from stats.models import Observation
from tests.e2e.conftest import Traffic

USERNAME = "e2e-analyst"
PASSWORD = "Corr3ct-horse-battery-staple"  # a throwaway test account
REASON = "the district's 2021 table gives 16001"


def jimei_members() -> Observation:
    return Observation.objects.get(document__slug="jimei-2021", raw="1.6万名")


def api_get(page: Page, live_server: LiveServer, path: str, **headers: str) -> APIResponse:
    """A plain HTTP request from the test, by the browser context's request client: not the
    page's, not routed, no redirects followed (it carries the context's cookies, which the
    anonymous API ignores)."""
    return page.request.get(f"{live_server.url}{path}", headers=headers, max_redirects=0)


Shot = Callable[..., Path]


def log_in(page: Page, traffic: Traffic, shot: Shot) -> None:
    """1. /admin/ sends an anonymous visitor to the login form; the analyst logs in."""
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.locator("#login-form")).to_be_visible()
    # Admin's own CSS arrived (served from the apps' static files by the live server).
    assert traffic.status_of(r"^/static/admin/css/base\.css$") == [200]
    assert traffic.status_of(r"^/static/admin/css/login\.css$") == [200]
    header_colour = page.evaluate(
        "getComputedStyle(document.querySelector('#header')).backgroundColor"
    )
    assert header_colour not in ("rgba(0, 0, 0, 0)", "transparent"), header_colour
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    shot("01-login")
    page.click("#login-form input[type=submit]")

    # 2. The admin index.
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_contain_text("福建基层党建统计")
    expect(page.locator("h1")).to_have_text("Site administration")
    expect(page.locator("#user-tools")).to_contain_text(USERNAME)
    expect(page.locator("#stats-observation a[href='/admin/stats/observation/']")).to_be_visible()
    shot("02-admin-index")


def correct_the_figure(page: Page, figure: Observation, shot: Shot) -> None:
    """3. The figure's change page: the figure highlighted in its sentence, provenance
    read-only; edits that contradict the words are refused until the analyst says why."""
    change_url = f"/admin/stats/observation/{figure.pk}/change/"
    page.goto(change_url)
    expect(page.locator("mark strong")).to_have_text("1.6万名")
    expect(page.locator("#id_value")).to_have_value("16000.0000")
    expect(page.locator("input[name=quote]")).to_have_count(0)
    shot("03-change-form")

    # A value above the stated upper bound is refused by the model's constraints, not saved.
    page.fill("#id_value", "16001")
    page.click("input[name=_save]")
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".errorlist")).to_contain_text("observation_value_below_upper_bound")
    shot("04-change-form-refused")
    assert jimei_members().value == Decimal(16000)

    # 16001 exactly (its bounds with it) is not what 1.6万名 reads as: refused, saying so ...
    page.fill("#id_value", "16001")
    page.fill("#id_lower_bound", "16001")
    page.fill("#id_upper_bound", "16001")
    page.click("input[name=_save]")
    expect(page.locator(".errorlist")).to_contain_text(
        "1.6万名 reads as exactly 16000 (exact), not exactly 16001 (exact); nothing was saved."
    )
    assert jimei_members().value == Decimal(16000)

    # ... until the analyst says why the figure departs from its words: the correction proper.
    page.fill("#id_departure_reason", REASON)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    shot("05-saved")
    figure.refresh_from_db()
    assert (figure.value, figure.lower_bound, figure.upper_bound) == (Decimal(16001),) * 3


def revert_from_history(
    page: Page, figure: Observation, history_before: list[int], shot: Shot
) -> Any:
    """5. The history lists the change, by the analyst, field by field; the version before it
    is reverted to. Returns the history record of the edit."""
    page.goto(f"/admin/stats/observation/{figure.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(len(history_before) + 1)
    edit_row = rows.filter(has_text=USERNAME)
    expect(edit_row).to_have_count(1)
    expect(edit_row).to_contain_text("Changed")
    for field in ("Value", "Lower bound", "Upper bound"):
        expect(edit_row).to_contain_text(re.compile(rf"{field}:\s*16000\.0000\s*→\s*16001\.0000"))
    shot("06-history")

    # The version before the edit (the newest record that is not the edit), and "Revert".
    edit, previous = figure.history.order_by("-history_date", "-history_id")[:2]
    assert edit.history_user.username == USERNAME
    assert edit.history_change_reason == f"departs from its words: {REASON}"
    assert previous.history_id == history_before[0]
    assert previous.value == Decimal(16000)
    page.click(f"#change-history a[href$='/history/{previous.history_id}/']")
    expect(page).to_have_url(re.compile(rf"/history/{previous.history_id}/$"))
    expect(page.locator("#content")).to_contain_text("Press the 'Revert' button below")
    expect(page.locator("#id_value")).to_have_value("16000.0000")
    shot("07-revert-form")
    page.locator("input[type=submit][value=Revert]").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    shot("08-reverted")
    return edit


def check_the_history_after_the_revert(
    page: Page, figure: Observation, history_before: list[int], edit: Any, shot: Shot
) -> None:
    """6. The history has both changes, each by the analyst, in the database and in admin."""
    records = list(figure.history.order_by("-history_date", "-history_id"))
    assert len(records) == len(history_before) + 2
    revert, edit_again = records[:2]
    assert edit_again.history_id == edit.history_id
    assert [r.history_type for r in (revert, edit)] == ["~", "~"]
    assert [r.history_user.username for r in (revert, edit)] == [USERNAME, USERNAME]
    assert [r.value for r in (revert, edit)] == [Decimal(16000), Decimal(16001)]

    page.goto(f"/admin/stats/observation/{figure.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(len(history_before) + 2)
    expect(rows.filter(has_text=USERNAME)).to_have_count(2)
    shot("09-history-after-revert")


def test_an_analyst_corrects_a_figure_and_reverts_it_from_history(
    page: Page, live_server: LiveServer, traffic: Traffic, shot: Shot
) -> None:
    get_user_model().objects.create_superuser(USERNAME, "analyst@example.org", PASSWORD)
    figure = jimei_members()
    assert (figure.value, figure.lower_bound, figure.upper_bound) == (Decimal(16000),) * 3
    assert figure.quote == "全区1.6万名党员"
    api_path = f"/api/v1/observations/jimei-2021:{figure.figure_start}/"
    history_before = list(figure.history.values_list("history_id", flat=True))

    # The API before the edit: 16000, with an entity tag for this data version.
    before = api_get(page, live_server, api_path)
    assert before.status == 200, before.text()
    assert before.json()["value"] == "16000"
    assert before.json()["source"]["quote"] == "全区1.6万名党员"
    old_etag = before.headers["etag"]
    assert api_get(page, live_server, api_path, **{"If-None-Match": old_etag}).status == 304

    log_in(page, traffic, shot)
    correct_the_figure(page, figure, shot)

    # 4. The API serves the new value at once: the data version moved on with the commit, so
    #    neither the response cache nor the old entity tag hands back 16000.
    after = api_get(page, live_server, api_path)
    assert after.status == 200, after.text()
    assert after.json()["value"] == "16001"
    assert (after.json()["lower_bound"], after.json()["upper_bound"]) == ("16001", "16001")
    assert after.headers["etag"] != old_etag
    revalidated = api_get(page, live_server, api_path, **{"If-None-Match": old_etag})
    assert revalidated.status == 200
    assert revalidated.json()["value"] == "16001"

    edit = revert_from_history(page, figure, history_before, shot)

    # 16000 again, in the API and in the database.
    reverted = api_get(page, live_server, api_path)
    assert reverted.status == 200, reverted.text()
    assert reverted.json()["value"] == "16000"
    assert (reverted.json()["lower_bound"], reverted.json()["upper_bound"]) == ("16000", "16000")
    assert reverted.headers["etag"] not in (old_etag, after.headers["etag"])
    figure.refresh_from_db()
    assert (figure.value, figure.lower_bound, figure.upper_bound) == (Decimal(16000),) * 3
    assert figure.departure_reason == ""  # back to its words: no departure to explain

    check_the_history_after_the_revert(page, figure, history_before, edit, shot)
    assert traffic.off_server() == [], traffic.off_server()
