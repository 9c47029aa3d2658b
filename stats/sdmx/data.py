"""Data messages of any set of observation rows: SDMX-CSV 2.0, streamed row by row, and
SDMX-JSON 2.0, one document.

Both carry exactly the values of :func:`stats.sdmx.dsd.observation_values`. SDMX-CSV is a
data-exchange format, so cells are written as they are (no byte order mark and no leading
``'`` before a cell a spreadsheet would read as a formula, unlike the API's own CSV for
Excel). In SDMX-JSON quantities stay decimal strings, as everywhere in this API, and the
layout is by series: every dimension but the time period keys a series, the time period keys
its observations.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from stats.sdmx.codelists import vocabulary_codelists
from stats.sdmx.dsd import (
    AGENCY,
    ATTRIBUTES,
    COMPONENTS,
    DATAFLOW_URN,
    DIMENSIONS,
    DSD_URN,
    MEASURE,
    STRUCTURE_ID,
    Component,
    Value,
    observation_values,
)
from stats.vocabulary import NOT_APPLICABLE

__all__ = [
    "CSV_MEDIA_TYPE",
    "JSON_MEDIA_TYPE",
    "DuplicateKeyError",
    "csv_header",
    "csv_lines",
    "json_message",
]

CSV_MEDIA_TYPE = "application/vnd.sdmx.data+csv;version=2.0.0"
JSON_MEDIA_TYPE = "application/vnd.sdmx.data+json;version=2.0.0"
JSON_SCHEMA = "https://json.sdmx.org/2.0.0/sdmx-json-data-schema.json"


class DuplicateKeyError(ValueError):
    """Two observations with one SDMX key (series key and time period) in one data set."""


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_header() -> list[str]:
    """The SDMX-CSV 2.0 columns: the structure, the action, then every component's id."""
    return ["STRUCTURE", "STRUCTURE_ID", "ACTION", *(c.id for c in COMPONENTS)]


def csv_lines(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """SDMX-CSV 2.0 text, the header then one line per observation row (CRLF line ends, as
    RFC 4180): ``dataflow,FJ_PARTY_STATS:PARTY_BUILDING(1.0.0),I,party_members,…``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_header())
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        values = observation_values(row)
        writer.writerow(["dataflow", STRUCTURE_ID, "I", *(_cell(values[c.id]) for c in COMPONENTS)])
        yield buffer.getvalue()


#: Where the names of the codes of the codelists read from tables are in an observation row.
_ROW_NAMES = {
    "MEASURE": ("indicator__name_en", "indicator__name_zh"),
    "REF_AREA": ("district__name_en", "district__name_zh"),
    "TIER": ("tier__name_en", "tier__name_zh"),
    "INITIATIVE": ("initiative__name_en", "initiative__name_zh"),
    "SOURCE_DOCUMENT": ("document__title_en", "document__title"),
}


def _names(name_en: str, name_zh: str) -> dict[str, Any]:
    names = {"en": name_en or name_zh}
    if name_zh:
        names["zh"] = name_zh
    return {"name": names["en"], "names": names}


class _Values:
    """The distinct values of one component in order of first use, as SDMX-JSON lists them
    and observations point at them by index."""

    def __init__(self, component: Component) -> None:
        self.component = component
        self.index: dict[tuple[str, Value], int] = {}
        self.entries: list[dict[str, Any]] = []

    def add(self, value: Value, names: tuple[str, str] | None) -> int | None:
        if value is None:
            return None
        key = (type(value).__name__, value)
        if key not in self.index:
            self.index[key] = len(self.entries)
            if self.component.codelist:
                self.entries.append({"id": value, **_names(*(names or (str(value), "")))})
            elif isinstance(value, int) and not isinstance(value, bool):
                # As text: the SDMX-JSON 2.0 schema has a value be exactly one of integer,
                # number, boolean or string, and a JSON integer is also a number.
                self.entries.append({"value": str(value)})
            else:
                self.entries.append({"value": value})
        return self.index[key]


def _component_json(component: Component) -> dict[str, Any]:
    return {
        "id": component.id,
        **_names(component.name_en, component.name_zh),
        "descriptions": {"en": component.description},
    }


def _code_names() -> dict[str, dict[str, tuple[str, str]]]:
    """The English and Chinese names of every code, by codelist id and code id."""
    return {
        codelist.id: {code.id: (code.name_en, code.name_zh) for code in codelist.codes}
        for codelist in vocabulary_codelists()
    }


def _series(
    rows: Iterable[Mapping[str, Any]], dimensions: list[_Values], attributes: list[_Values]
) -> dict[str, dict[str, list[Any]]]:
    """The observations of the rows by series key, then time period: each the measure's value
    and the attributes' indexes. Every value is added to its component's list on the way."""
    code_names = _code_names()
    series: dict[str, dict[str, list[Any]]] = {}
    sources: dict[tuple[str, str], str] = {}

    def names(component: Component, value: Value, row: Mapping[str, Any]) -> tuple[str, str]:
        if component.id in _ROW_NAMES and value != NOT_APPLICABLE:
            en, zh = _ROW_NAMES[component.id]
            return row[en], row[zh]
        return code_names.get(component.codelist or "", {}).get(str(value), (str(value), ""))

    def index(
        values: _Values, observation: Mapping[str, Value], row: Mapping[str, Any]
    ) -> int | None:
        value = observation[values.component.id]
        return values.add(value, names(values.component, value, row))

    for row in rows:
        values = observation_values(row)
        key = [index(d, values, row) for d in dimensions]
        series_key = ":".join(str(i) for i in key[:-1])
        time = str(key[-1])
        observation = [values[MEASURE.id], *(index(a, values, row) for a in attributes)]
        observations = series.setdefault(series_key, {})
        source = f"{values['SOURCE_DOCUMENT']}:{values['FIGURE_START']}"
        if time in observations:
            raise DuplicateKeyError(
                f"observations {sources[series_key, time]} and {source} have one SDMX key"
            )
        observations[time] = observation
        sources[series_key, time] = source
    return series


def _structure(
    dimensions: list[_Values], attributes: list[_Values], *, any_series: bool
) -> dict[str, Any]:
    """The structure of the message: links, the components and the values each takes."""
    structure: dict[str, Any] = {
        "links": [
            {"urn": DSD_URN, "rel": "structure"},
            {"urn": DATAFLOW_URN, "rel": "dataflow"},
        ],
        **_names("Party-building statistics of Fujian", "福建党建统计"),
        "dimensions": {"dataSet": [], "series": [], "observation": []},
        "measures": {"observation": [_component_json(MEASURE)]},
        "attributes": {
            "dataSet": [],
            "series": [],
            "observation": [
                {
                    **_component_json(a.component),
                    "isMandatory": a.component.mandatory,
                    "relationship": {"observation": {}},
                    **({"values": a.entries} if a.entries else {}),
                }
                for a in attributes
            ],
        },
        "dataSets": [0],
    }
    if any_series:  # SDMX-JSON lists a dimension with at least one value
        for position, d in enumerate(dimensions):
            level = "observation" if d.component.role == "time" else "series"
            entry = {**_component_json(d.component), "keyPosition": position}
            if d.component.role == "time":
                entry["roles"] = ["TIME_PERIOD"]
            structure["dimensions"][level].append({**entry, "values": d.entries})
    return structure


def _meta(prepared: datetime, message_id: str) -> dict[str, Any]:
    return {
        "schema": JSON_SCHEMA,
        "id": message_id,
        "test": False,
        "prepared": prepared.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "contentLanguages": ["en", "zh"],
        "sender": {"id": AGENCY, "name": "Fujian party-building statistics"},
    }


def json_message(
    rows: Iterable[Mapping[str, Any]], *, prepared: datetime, message_id: str
) -> dict[str, Any]:
    """The SDMX-JSON 2.0 data message of the observation rows, with the values of each
    dimension and attribute and the names of their codes. Raises DuplicateKeyError when two
    rows have one SDMX key (several claims of a series and period: ask for preferred ones)."""
    dimensions = [_Values(d) for d in DIMENSIONS]
    attributes = [_Values(a) for a in ATTRIBUTES]
    series = _series(rows, dimensions, attributes)
    data_set = {
        "links": [{"urn": DATAFLOW_URN, "rel": "dataflow"}],
        "structure": 0,
        "action": "Information",
        "series": {key: {"observations": observations} for key, observations in series.items()},
    }
    return {
        "meta": _meta(prepared, message_id),
        "data": {
            "structures": [_structure(dimensions, attributes, any_series=bool(series))],
            "dataSets": [data_set],
        },
    }
