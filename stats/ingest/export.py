"""Reviewed documents out as seed files, in the curated format (stats.extraction.writer), so
``build_fixtures`` rebuilds the same observations.

A measure defined in review (from a candidate no measure fitted) is in the database only; the
export appends it to ``vocabulary/indicators.yaml`` so the annotations that use it rebuild. A
measure the file has already is left as the file has it (edits to measures are curated in the
file). Export refuses, before writing anything, a measure whose code the file lists as
replaced (a removed code is never reused) or whose tier the file of tiers does not have."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from stats.entries import indicator_entry, statistic_note
from stats.extraction.reading import without_layout_space
from stats.extraction.sources import DocumentAnnotations, NonStatisticNote
from stats.extraction.writer import annotations_yaml, dump_yaml, indicator_yaml, manifest_entry
from stats.ingest.review import ReviewError
from stats.models import Candidate, CandidateStatus, Indicator, SourceDocument
from stats.vocabulary import NotStatisticReason

__all__ = ["export_annotations"]


def _unique_context(text: str, start: int, end: int) -> str:
    """The quote, or the shortest widening of it that occurs once in the text."""
    left, right = start, end
    while text.count(text[left:right]) > 1 and (left > 0 or right < len(text)):
        left, right = max(0, left - 1), min(len(text), right + 1)
    return without_layout_space(text[left:right])


def _statistic_context(candidate: Candidate) -> str:
    observation = candidate.observation
    assert observation is not None
    if candidate.document.text.count(observation.quote) > 1:
        raise ReviewError(
            f"the quote {observation.quote!r} of {observation.raw!r} occurs more than once; "
            "widen it before exporting"
        )
    return without_layout_space(observation.quote)


def _non_statistic(candidate: Candidate) -> NonStatisticNote:
    text = candidate.document.text
    if candidate.status == CandidateStatus.DUPLICATE:
        of = candidate.duplicate_of
        assert of is not None
        reason = NotStatisticReason.DUPLICATE
        note = f"duplicate of {of.document.slug}:{of.figure_start}" + (
            f"; {candidate.note}" if candidate.note else ""
        )
    else:
        reason, note = NotStatisticReason(candidate.reason), candidate.note
    return NonStatisticNote(
        context=_unique_context(text, candidate.figure_start, candidate.figure_end),
        numeral=without_layout_space(text[candidate.figure_start : candidate.figure_end]),
        reason=reason,
        occurrence=None,
        note=note,
    )


def export_annotations(document: SourceDocument, seeds: Path) -> list[Path]:
    """Write ``document`` and its reviewed decisions as seed files under ``seeds``: the text,
    its manifest entry, ``annotations/<slug>.yaml`` and, appended to
    ``vocabulary/indicators.yaml``, the measures its statistics use that the file lacks.
    Refuses while a candidate is pending. Returns the files written."""
    candidates = list(
        document.candidates.select_related(
            "observation__indicator__tier",
            "observation__district",
            "observation__tier",
            "observation__initiative",
            "duplicate_of__document",
        ).order_by("figure_start")
    )
    pending = [c for c in candidates if c.status == CandidateStatus.PENDING]
    if pending:
        raise ReviewError(
            f"{len(pending)} candidate(s) of {document.slug!r} still pending "
            f"(first: {pending[0].raw!r} at {pending[0].figure_start}); review them first"
        )
    accepted = [c for c in candidates if c.status == CandidateStatus.ACCEPTED]
    notes = DocumentAnnotations(
        file=f"annotations/{document.slug}.yaml",
        document=document.slug,
        statistics=tuple(
            statistic_note(c.observation, _statistic_context(c))  # type: ignore[arg-type]
            for c in accepted
        ),
        not_statistics=tuple(
            _non_statistic(c) for c in candidates if c.status != CandidateStatus.ACCEPTED
        ),
        tier_chains=(),
    )
    measures = _new_measures(seeds, [c.observation.indicator for c in accepted])  # type: ignore[union-attr]
    text_path = seeds / f"{document.slug}.txt"
    text_path.write_bytes(document.text.encode("utf-8"))
    annotation_path = seeds / "annotations" / f"{document.slug}.yaml"
    annotation_path.write_text(annotations_yaml(notes, document.place.code), encoding="utf-8")
    manifest = seeds / "manifest.yaml"
    _add_to_manifest(manifest, document)
    written = [text_path, annotation_path, manifest]
    if measures:
        written.append(_append_measures(seeds, measures))
    return written


def _new_measures(seeds: Path, indicators: Iterable[Indicator]) -> list[Indicator]:
    """The measures of ``indicators`` that ``vocabulary/indicators.yaml`` lacks, in first-use
    order; refused (:class:`ReviewError`) when one cannot be appended safely."""
    vocabulary = seeds / "vocabulary"
    listed = yaml.safe_load((vocabulary / "indicators.yaml").read_text(encoding="utf-8")) or []
    codes = {str(entry["code"]) for entry in listed}
    replaced = {
        str(code): str(entry["code"]) for entry in listed for code in entry.get("replaces") or ()
    }
    tiers = yaml.safe_load((vocabulary / "tiers.yaml").read_text(encoding="utf-8")) or []
    tier_codes = {str(entry["code"]) for entry in tiers}
    new: dict[str, Indicator] = {}
    for indicator in indicators:
        if indicator.code in codes or indicator.code in new:
            continue
        if indicator.code in replaced:
            raise ReviewError(
                f"the measure {indicator.code!r} is listed in {vocabulary / 'indicators.yaml'} as "
                f"replaced by {replaced[indicator.code]!r}, and a replaced code is never reused: "
                "give the measure another code (or file the figures under the one that replaced "
                "it); nothing was written"
            )
        if indicator.tier is not None and indicator.tier.code not in tier_codes:
            raise ReviewError(
                f"the measure {indicator.code!r} is of tier {indicator.tier.code!r}, which "
                f"{vocabulary / 'tiers.yaml'} does not have: add the tier there first; nothing "
                "was written"
            )
        new[indicator.code] = indicator
    return list(new.values())


def _append_measures(seeds: Path, measures: Iterable[Indicator]) -> Path:
    """Append the measures' entries at the end of ``vocabulary/indicators.yaml``, where the
    file says new entries go."""
    path = seeds / "vocabulary" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    added = "".join(indicator_yaml(indicator_entry(m)) for m in measures)
    separator = "" if text.endswith("\n") or not text else "\n"
    path.write_text(text + separator + added, encoding="utf-8")
    return path


def _add_to_manifest(manifest: Path, document: SourceDocument) -> None:
    """Append the document's entry to ``documents:`` (the last key of the manifest)."""
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    entries: Iterable[dict[str, Any]] = data["documents"]
    if any(entry["slug"] == document.slug for entry in entries):
        return
    entry = manifest_entry(
        slug=document.slug,
        original_name=document.original_name,
        sha256=document.sha256,
        title=document.title,
        title_en=document.title_en,
        outlet=document.outlet,
        authors=list(document.authors),
        place=document.place.code,
        precision=document.published_precision,
        earliest=document.published_earliest,
        latest=document.published_latest,
        at=document.published_at,
        basis=document.published_basis,
    )
    with manifest.open("a", encoding="utf-8") as stream:
        stream.write("\n" + textwrap.indent(dump_yaml([entry]), "  "))
