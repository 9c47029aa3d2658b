"""Whether the seed vocabularies hold together, before any annotation is read.

Each code is used once per vocabulary (districts, tiers, indicators, initiatives, documents); a
measure's ``replaces`` names codes that are no longer measures, each replaced by one measure;
every reference (a district's parent, an indicator's tier, an initiative's parent and places, a
document's place) is to a known code. :func:`~stats.extraction.corpus.build_corpus` reports what
this finds with the annotation problems.
"""

from __future__ import annotations

from collections import Counter

from stats.extraction.sources import AnnotationError, SeedSources

__all__ = ["vocabulary_problems"]


def vocabulary_problems(sources: SeedSources) -> list[AnnotationError]:
    """Every way the vocabularies do not hold together: a code used twice, a replaced measure
    that is still one or has several successors, a reference to an unknown code."""
    problems: list[AnnotationError] = []
    for kind, codes in (
        ("district", [d.code for d in sources.districts]),
        ("tier", [t.code for t in sources.tiers]),
        ("indicator", [i.code for i in sources.indicators]),
        ("initiative", [i.code for i in sources.initiatives]),
        ("document", [d.slug for d in sources.documents]),
    ):
        for code, count in Counter(codes).items():
            if count > 1:
                problems.append(
                    AnnotationError(f"{kind} vocabulary", code, f"code used {count} times")
                )
    indicator_codes = {i.code for i in sources.indicators}
    replaced: Counter[str] = Counter(code for i in sources.indicators for code in i.replaces)
    for indicator in sources.indicators:
        for code in indicator.replaces:
            if code in indicator_codes:
                problems.append(
                    AnnotationError(
                        "seeds/vocabulary/indicators.yaml",
                        indicator.code,
                        f"replaces {code!r}, which is still a measure of its own",
                    )
                )
            elif replaced[code] > 1:
                problems.append(
                    AnnotationError(
                        "seeds/vocabulary/indicators.yaml",
                        indicator.code,
                        f"{code!r} is replaced by {replaced[code]} measures; name one successor",
                    )
                )
    district_codes = {d.code for d in sources.districts}
    tier_codes = {t.code for t in sources.tiers}
    initiative_codes = {i.code for i in sources.initiatives}
    references: list[tuple[str, str, str, str | None, set[str]]] = [
        ("seeds/vocabulary/districts.yaml", d.code, "parent", d.parent, district_codes)
        for d in sources.districts
    ]
    references += [
        ("seeds/vocabulary/indicators.yaml", i.code, "tier", i.tier, tier_codes)
        for i in sources.indicators
    ]
    for initiative in sources.initiatives:
        references.append(
            (
                "seeds/vocabulary/initiatives.yaml",
                initiative.code,
                "parent",
                initiative.parent,
                initiative_codes,
            )
        )
        references += [
            ("seeds/vocabulary/initiatives.yaml", initiative.code, "district", d, district_codes)
            for d in initiative.districts
        ]
    references += [
        ("seeds/manifest.yaml", d.slug, "place", d.place, district_codes) for d in sources.documents
    ]
    for file, owner, kind, target, known in references:
        if target is not None and target not in known:
            problems.append(AnnotationError(file, owner, f"unknown {kind} {target!r}"))
    return problems
