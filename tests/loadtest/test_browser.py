"""Form and cookie handling as a browser does it (loadtest.browser)."""

from __future__ import annotations

from email.message import Message

from loadtest.browser import cookie_header, parse_form, update_cookies, with_field

CHANGE_PAGE = """
<form id="logout-form" method="post" action="/admin/logout/">
  <input type="hidden" name="csrfmiddlewaretoken" value="other">
  <button type="submit">Log out</button>
</form>
<form enctype="multipart/form-data" method="post" id="observation_form" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en">
  <select name="indicator" required id="id_indicator" class="admin-autocomplete">
    <option value="">---------</option>
    <option value="7" selected>party members</option>
  </select>
  <select name="tier" id="id_tier"><option value="" selected>---------</option></select>
  <select name="period_kind" id="id_period_kind">
    <option value="stock">stock</option><option value="flow">flow</option>
  </select>
  <select name="lower_inclusive" id="id_lower_inclusive">
    <option value="unknown">Unknown</option><option value="true" selected>Yes</option>
    <option value="false">No</option>
  </select>
  <select name="districts" multiple>
    <option value="1" selected>A</option><option value="2">B</option>
    <option value="3" selected>C</option>
  </select>
  <input type="text" name="period_start" value="2023/12/31" id="id_period_start">
  <input type="number" name="value" value="16000" step="any" id="id_value">
  <input type="checkbox" name="upper_by_convention" id="id_upper_by_convention" checked>
  <input type="checkbox" name="lower_open" value="yes">
  <input type="text" name="locked" value="x" disabled>
  <textarea name="note" cols="40" rows="10" id="id_note">
line one
&lt;two&gt;</textarea>
  <input type="submit" value="Save" class="default" name="_save">
  <input type="submit" value="Save and continue editing" name="_continue">
</form>
<input type="search" name="q" value="outside every form">
"""


def response_headers(*cookies: str) -> Message:
    message = Message()
    for cookie in cookies:
        message["Set-Cookie"] = cookie
    return message


def test_cookies_are_kept_replaced_and_deleted() -> None:
    jar: dict[str, str] = {}
    update_cookies(
        jar,
        response_headers(
            "csrftoken=abc; expires=Sat, 21 Nov 2026 10:00:00 GMT; Max-Age=31449600; Path=/; "
            "SameSite=Lax; Secure",
            "sessionid=s1; HttpOnly; Path=/; Secure; SameSite=Lax",
        ),
    )
    assert jar == {"csrftoken": "abc", "sessionid": "s1"}
    update_cookies(
        jar,
        response_headers(
            "csrftoken=def; Path=/",
            'messages=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
            'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
        ),
    )
    assert jar == {"csrftoken": "def"}
    assert cookie_header({"a": "1", "b": "2"}) == "a=1; b=2"


def test_a_form_is_read_as_a_browser_submits_it() -> None:
    fields = parse_form(CHANGE_PAGE, "observation_form")
    assert fields == [
        ("csrfmiddlewaretoken", "tok&en"),
        ("indicator", "7"),
        ("tier", ""),
        ("period_kind", "stock"),  # nothing selected: the first option
        ("lower_inclusive", "true"),
        ("districts", "1"),
        ("districts", "3"),
        ("period_start", "2023/12/31"),
        ("value", "16000"),
        ("upper_by_convention", "on"),
        ("note", "line one\n<two>"),  # less the newline after <textarea>
    ]
    assert parse_form(CHANGE_PAGE, "logout-form") == [("csrfmiddlewaretoken", "other")]
    assert parse_form(CHANGE_PAGE, "login-form") is None


def test_with_field_replaces_every_value_of_a_name() -> None:
    fields = [("a", "1"), ("note", "old"), ("note", "older"), ("b", "2")]
    assert with_field(fields, "note", "new") == [("a", "1"), ("b", "2"), ("note", "new")]
