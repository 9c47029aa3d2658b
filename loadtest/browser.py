"""Cookies and forms as a browser handles them: what the admin writers send back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from email.message import Message
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from typing import Any


def update_cookies(jar: dict[str, str], headers: Message) -> None:
    """Apply a response's Set-Cookie headers to ``jar`` (a deleted cookie is dropped). Secure
    cookies are kept too: the server is plain HTTP on loopback, which browsers trust."""
    for header in headers.get_all("Set-Cookie") or []:
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(header)
        except CookieError:
            continue
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                jar.pop(name, None)
            else:
                jar[name] = morsel.value


def cookie_header(jar: Mapping[str, str]) -> str:
    """The Cookie request header for ``jar``."""
    return "; ".join(f"{name}={value}" for name, value in jar.items())


class FormParser(HTMLParser):
    """The fields a browser would submit from the form with a given id: inputs (checkboxes and
    radios only when checked, no buttons), selects (the selected options, else the first) and
    textareas (less the newline after the opening tag), leaving out disabled controls."""

    _SKIPPED_INPUTS = frozenset({"submit", "button", "image", "reset", "file"})

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a form, field or option."""
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self._inside = self.found = True
            return
        if not self._inside:
            return
        name = attributes.get("name") or ""
        disabled = "disabled" in attributes
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if not name or disabled or kind in self._SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    value = attributes.get("value", "on")
                    self.fields.append((name, value or ""))
                return
            self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select":
            self._select = {
                "name": name,
                "disabled": disabled,
                "multiple": "multiple" in attributes,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._end_option()
            self._option = {
                "value": attributes.get("value") if "value" in attributes else None,
                "selected": "selected" in attributes,
                "text": [],
            }
        elif tag == "textarea":
            self._textarea = {"name": name, "disabled": disabled, "text": []}

    def handle_data(self, data: str) -> None:
        """Text of an option or a textarea."""
        if self._option is not None:
            self._option["text"].append(data)
        elif self._textarea is not None:
            self._textarea["text"].append(data)

    def _end_option(self) -> None:
        if self._option is None or self._select is None:
            return
        value = self._option["value"]
        if value is None:
            value = "".join(self._option["text"]).strip()
        self._select["options"].append((value or "", self._option["selected"]))
        self._option = None

    def handle_endtag(self, tag: str) -> None:
        """Close a form, field or option, keeping what it submits."""
        if tag == "form" and self._inside:
            self._inside = False
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self._select is not None:
            self._end_option()
            select, self._select = self._select, None
            if not select["name"] or select["disabled"] or not select["options"]:
                return
            chosen = [value for value, selected in select["options"] if selected]
            if select["multiple"]:
                self.fields.extend((select["name"], value) for value in chosen)
            else:
                value = chosen[-1] if chosen else select["options"][0][0]
                self.fields.append((select["name"], value))
        elif tag == "textarea" and self._textarea is not None:
            area, self._textarea = self._textarea, None
            text = "".join(area["text"])
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            if area["name"] and not area["disabled"]:
                self.fields.append((area["name"], text))


def parse_form(html: str, form_id: str) -> list[tuple[str, str]] | None:
    """The fields of the form ``form_id`` in ``html``, or None when there is no such form."""
    parser = FormParser(form_id)
    parser.feed(html)
    parser.close()
    return parser.fields if parser.found else None


def with_field(fields: Iterable[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """``fields`` with every ``name`` replaced by one ``name=value`` (added when absent)."""
    kept = [(key, old) for key, old in fields if key != name]
    return [*kept, (name, value)]
