"""The structure message: the dataflow, its data structure definition, the concept scheme and
every codelist, as SDMX-ML 3.0 (``application/vnd.sdmx.structure+xml;version=3.0.0``), the
form SDMX tools (pysdmx, sdmx1, .Stat, the Fusion Metadata Registry) read a structure in.

Elements are written in the order the SDMX 3.0 XML schemas require; the tests validate the
message against them (pysdmx ships the XSDs)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime

from stats.sdmx.codelists import Code, Codelist
from stats.sdmx.dsd import (
    AGENCY,
    ATTRIBUTES,
    COMPONENTS,
    CONCEPT_SCHEME,
    DATAFLOW,
    DIMENSIONS,
    DSD,
    DSD_URN,
    MEASURE,
    VERSION,
    Component,
    codelist_urn,
    concept_urn,
)

__all__ = ["STRUCTURE_MEDIA_TYPE", "structure_message"]

STRUCTURE_MEDIA_TYPE = "application/vnd.sdmx.structure+xml;version=3.0.0"

_SCHEMAS = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0"
MES = f"{_SCHEMAS}/message"
STR = f"{_SCHEMAS}/structure"
COM = f"{_SCHEMAS}/common"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

for _prefix, _uri in (("mes", MES), ("str", STR), ("com", COM)):
    ET.register_namespace(_prefix, _uri)


def _sub(parent: ET.Element, namespace: str, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{namespace}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _names(parent: ET.Element, name_en: str, name_zh: str = "") -> None:
    """Name in English, and in Chinese where there is one (SDMX requires a name)."""
    _sub(parent, COM, "Name", name_en or name_zh).set(XML_LANG, "en")
    if name_zh:
        _sub(parent, COM, "Name", name_zh).set(XML_LANG, "zh")


def _maintainable(parent: ET.Element, tag: str, id: str, **extra: str) -> ET.Element:
    element = _sub(parent, STR, tag)
    element.attrib.update(
        {"id": id, "version": VERSION, "agencyID": AGENCY, "isExternalReference": "false"}
    )
    element.attrib.update(extra)
    return element


def _code(parent: ET.Element, code: Code) -> None:
    element = _sub(parent, STR, "Code")
    element.set("id", code.id)
    _names(element, code.name_en, code.name_zh)


def _representation(parent: ET.Element, component: Component) -> None:
    representation = _sub(parent, STR, "LocalRepresentation")
    if component.codelist:
        _sub(representation, STR, "Enumeration", codelist_urn(component.codelist))
    else:
        _sub(representation, STR, "TextFormat").set("textType", component.text_type)


def _component(parent: ET.Element, tag: str, component: Component) -> ET.Element:
    element = _sub(parent, STR, tag)
    element.set("id", component.id)
    _sub(element, STR, "ConceptIdentity", concept_urn(component.id))
    _representation(element, component)
    return element


def _data_structure(parent: ET.Element) -> None:
    dsd = _maintainable(parent, "DataStructure", DSD)
    _names(dsd, "Party-building statistics of Fujian", "福建党建统计")
    components = _sub(dsd, STR, "DataStructureComponents")
    dimensions = _sub(components, STR, "DimensionList")
    dimensions.set("id", "DimensionDescriptor")
    for position, dimension in enumerate(DIMENSIONS, start=1):
        if dimension.role == "time":
            _component(dimensions, "TimeDimension", dimension)
        else:
            _component(dimensions, "Dimension", dimension).set("position", str(position))
    attributes = _sub(components, STR, "AttributeList")
    attributes.set("id", "AttributeDescriptor")
    for attribute in ATTRIBUTES:
        element = _component(attributes, "Attribute", attribute)
        element.set("usage", "mandatory" if attribute.mandatory else "optional")
        _sub(_sub(element, STR, "AttributeRelationship"), STR, "Observation")
    measures = _sub(components, STR, "MeasureList")
    measures.set("id", "MeasureDescriptor")
    _component(measures, "Measure", MEASURE).set("usage", "optional")


def structure_message(codelists: Sequence[Codelist], *, prepared: datetime) -> bytes:
    """The SDMX-ML 3.0 structure message: ``codelists`` (stats.sdmx.codelists.codelists()),
    the concept scheme, the dataflow and its data structure definition, as UTF-8 bytes."""
    root = ET.Element(f"{{{MES}}}Structure")
    header = _sub(root, MES, "Header")
    _sub(header, MES, "ID", f"{DATAFLOW}_STRUCTURE")
    _sub(header, MES, "Test", "false")
    _sub(header, MES, "Prepared", prepared.strftime("%Y-%m-%dT%H:%M:%SZ"))
    _sub(header, MES, "Sender").set("id", AGENCY)
    structures = _sub(root, MES, "Structures")

    lists = _sub(structures, STR, "Codelists")
    for codelist in codelists:
        element = _maintainable(lists, "Codelist", codelist.id, isPartial="false")
        _names(element, codelist.name_en, codelist.name_zh)
        for code in codelist.codes:
            _code(element, code)

    schemes = _sub(structures, STR, "ConceptSchemes")
    scheme = _maintainable(schemes, "ConceptScheme", CONCEPT_SCHEME, isPartial="false")
    _names(scheme, "Concepts of the party-building statistics", "党建统计概念")
    for component in COMPONENTS:
        concept = _sub(scheme, STR, "Concept")
        concept.set("id", component.id)
        _names(concept, component.name_en, component.name_zh)
        _sub(concept, COM, "Description", component.description).set(XML_LANG, "en")

    flows = _sub(structures, STR, "Dataflows")
    flow = _maintainable(flows, "Dataflow", DATAFLOW)
    _names(flow, "Party-building statistics of Fujian", "福建党建统计")
    _sub(
        flow,
        COM,
        "Description",
        "Figures on grassroots party building read out of Chinese report texts, each "
        "traceable to its words; one observation per preferred claim of a series and period.",
    ).set(XML_LANG, "en")
    _sub(flow, STR, "Structure", DSD_URN)

    _data_structure(_sub(structures, STR, "DataStructures"))
    message: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return message
