"""OpenAPI post-processing shared by every API version: what every operation answers besides
its 200 (problem documents, 304), the caching and paging headers, and response descriptions.
Keeping it here documents the behaviour of stats.api.middleware and stats.api.problems in one
place."""

from __future__ import annotations

from typing import Any

from stats.api.problems import PROBLEM_CONTENT_TYPE

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error as an RFC 9457 problem document.",
    "properties": {
        "type": {
            "type": "string",
            "description": "a URI naming the kind of problem; about:blank means see title",
            "example": "about:blank",
        },
        "title": {
            "type": "string",
            "description": "the HTTP status phrase",
            "example": "Bad Request",
        },
        "status": {"type": "integer", "description": "the HTTP status code", "example": 400},
        "detail": {
            "type": "string",
            "description": "what is wrong, naming the parameter and what is allowed",
            "example": "page_size: must be a whole number from 1 to 1000, not '0'",
        },
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "for 400: the messages per parameter",
            "example": {"page_size": ["must be a whole number from 1 to 1000, not '0'"]},
        },
    },
    "required": ["type", "title", "status", "detail"],
}

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}},
    }
    if headers:
        response["headers"] = headers
    return response


def _header(description: str, example: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string", "example": example}}


CACHE_HEADERS = {
    "ETag": _header("changes whenever the corpus is loaded or edited", 'W/"3-1a2b3c4d5e6f"'),
    "Last-Modified": _header("when the corpus last changed", "Mon, 23 Nov 2026 08:00:00 GMT"),
    "Cache-Control": _header("how long the response may be reused", "public, max-age=60"),
}
LINK_HEADER = {
    "Link": _header(
        "the next and previous pages (RFC 8288)",
        '<http://127.0.0.1:8000/api/v1/observations/?cursor=cD0xMDA%3D>; rel="next"',
    )
}


#: Integer bounds and formats that only restate a database column's range. They differ between
#: backends (SQLite columns are 64-bit, PostgreSQL's smallint is 16-bit), so the schema would
#: depend on where it was generated.
DATABASE_INTEGER_LIMITS = {2**15 - 1, 2**15, 2**31 - 1, 2**31, 2**63 - 1, 2**63}


def _drop_database_integer_limits(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer":
            for bound in ("maximum", "minimum"):
                value = node.get(bound)
                if isinstance(value, int) and abs(value) in DATABASE_INTEGER_LIMITS:
                    del node[bound]
            if node.get("format") in ("int32", "int64"):
                del node["format"]
        for child in node.values():
            _drop_database_integer_limits(child)
    elif isinstance(node, list):
        for child in node:
            _drop_database_integer_limits(child)


#: Text without NUL: no database column takes one (PostgreSQL refuses it), so it is a 400.
NO_NUL = "^[^\\u0000]*$"


def _forbid_nul(schema: dict[str, Any]) -> None:
    """Say in a parameter's schema that its text holds no NUL (free text, codes, each item)."""
    target = schema.get("items", schema) if schema.get("type") == "array" else schema
    if target.get("type") == "string" and "enum" not in target and "format" not in target:
        target.setdefault("pattern", NO_NUL)


def add_http_behaviour(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the answers every read can give."""
    _drop_database_integer_limits(result)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    if "BlankEnum" in schemas:
        schemas["BlankEnum"]["description"] = "the empty string: not stated"
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method != "get":
                continue
            responses = operation.setdefault("responses", {})
            ok = responses.get("200", {})
            is_list = "Paginated" in str(ok.get("content", {}))
            if path.startswith("/api/v1/") and not path.startswith("/api/v1/schema/"):
                operation["description"] = (
                    operation.get("description", "").rstrip()
                    + "\n\nQuery parameters not listed here are refused with a 400 naming them."
                ).strip()
            if not ok.get("description"):
                ok["description"] = operation.get("summary") or "the resource"
            ok.setdefault("headers", {}).update(CACHE_HEADERS)
            if is_list:
                ok["headers"].update(LINK_HEADER)
            responses["304"] = {
                "description": "not modified: the If-None-Match or If-Modified-Since "
                "validators still match the current data version",
                "headers": CACHE_HEADERS,
            }
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    # ?district= is the same as leaving the parameter out (docs/api.md).
                    parameter["allowEmptyValue"] = True
                    _forbid_nul(parameter.get("schema", {}))
            if any(p.get("in") == "query" for p in operation.get("parameters", [])) or (
                path.startswith("/api/v1/") and not path.startswith("/api/v1/schema/")
            ):
                responses["400"] = _problem(
                    "a parameter is malformed, not one this operation takes, or names "
                    "something unknown; detail says which"
                )
            if "{" in path:
                responses["404"] = _problem("nothing has this identifier")
            responses["406"] = _problem(
                "the Accept header or ?format= asks for a format this operation cannot give"
            )
            responses["429"] = _problem(
                "too many requests from this address",
                {"Retry-After": _header("seconds to wait before trying again", "12")},
            )
            operation.pop("security", None)
    return result
