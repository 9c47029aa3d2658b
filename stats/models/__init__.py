"""The data model: source documents, places, organisation tiers, initiatives, indicators, and
the observations read from the texts, each traceable to its exact words.

Every model has a natural key (the code or the document offsets), which the fixtures use, so
the fixtures carry no database ids. References between rows are PROTECTed: a place, indicator
or document that observations point at cannot be deleted from under them. The parts of a tier
chain belong to it and go with it. Every change is recorded by django-simple-history.

The models live in modules by concept, and every name is importable from here
(``stats.models.Observation``), which is also where Django finds them:

- :mod:`~stats.models.common`: choice sets, the quantity and breakdown fields, natural keys;
- :mod:`~stats.models.dimensions`: places, organisation tiers, indicators, initiatives;
- :mod:`~stats.models.documents`: source texts, initiative mentions, tier chains;
- :mod:`~stats.models.observations`: the figures read from the texts;
- :mod:`~stats.models.derived`: series, stored representations, search terms, data version;
- :mod:`~stats.models.candidates`: the review queue of ingested articles.
"""

from stats.models.candidates import Candidate, CandidateStatus
from stats.models.common import (
    CLAIM_RANK_CHOICES,
    DATE_PRECISION_CHOICES,
    NOT_STATISTIC_CHOICES,
    PERIOD_KIND_CHOICES,
    QUALIFIER_CHOICES,
    STATISTIC_CHOICES,
    STATUS_CHOICES,
    CodeManager,
    NaturalKeyManager,
    natural_keys_remembered,
    quantity_field,
    remember_created,
    validate_breakdown,
)
from stats.models.derived import DataVersion, ObservationTerm, RenderedObservation, Series
from stats.models.dimensions import District, Indicator, Initiative, OrganisationTier
from stats.models.documents import (
    PUBLICATION_FIELDS,
    InitiativeMention,
    SourceDocument,
    TierChain,
    TierChainLink,
)
from stats.models.observations import Observation

__all__ = [
    "CLAIM_RANK_CHOICES",
    "DATE_PRECISION_CHOICES",
    "NOT_STATISTIC_CHOICES",
    "PERIOD_KIND_CHOICES",
    "PUBLICATION_FIELDS",
    "QUALIFIER_CHOICES",
    "STATISTIC_CHOICES",
    "STATUS_CHOICES",
    "Candidate",
    "CandidateStatus",
    "CodeManager",
    "DataVersion",
    "District",
    "Indicator",
    "Initiative",
    "InitiativeMention",
    "NaturalKeyManager",
    "Observation",
    "ObservationTerm",
    "OrganisationTier",
    "RenderedObservation",
    "Series",
    "SourceDocument",
    "TierChain",
    "TierChainLink",
    "natural_keys_remembered",
    "quantity_field",
    "remember_created",
    "validate_breakdown",
]
