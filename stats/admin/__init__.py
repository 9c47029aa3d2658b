"""Django admin for analysts who read Chinese: search by Chinese names and quotes, filter by
district, indicator, tier, initiative and qualifier, see each quote in its sentence, and
revert any change from its history (django-simple-history). Provenance is read-only.

What an edit of an observation or a candidate must pass before anything is saved:

- no lost update: the form carries the version it was loaded with (the newest history record),
  and a save made over a change someone else committed since is refused, naming who and when
  (:class:`VersionedForm`);
- no control character but tab, line feed and carriage return in any text
  (stats.extraction.control_characters: PostgreSQL refuses NUL, SQLite would keep it);
- an observation's quantity has the shape its qualifier gives, and is what its words read as
  (stats.extraction.invariants, the rule verify_corpus applies), unless the analyst says why it
  departs from them: the reason is kept on the row and in the history (:class:`ObservationForm`).

Logins are throttled by django-axes (config/settings.py); :func:`login_locked_out` is its page.

The admin is split by what it administers, and importing this package registers it all:

- :mod:`~stats.admin.editing`: what every edit must pass, and a figure in its sentence;
- :mod:`~stats.admin.dimensions`: places, organisation tiers, indicators, initiatives;
- :mod:`~stats.admin.documents`: source texts and tier chains;
- :mod:`~stats.admin.observations`: observations and the checks on their quantities;
- :mod:`~stats.admin.candidates`: the review queue of ingested articles;
- :mod:`~stats.admin.articles`: uploading an article into the queue;
- :mod:`~stats.admin.measures`: defining a measure for a candidate no measure fits;
- :mod:`~stats.admin.logins`: the page of a locked-out login.
"""

from stats.admin.articles import IngestForm, ingest_article_page
from stats.admin.candidates import DECISIONS, CandidateAdmin, CandidateForm
from stats.admin.dimensions import (
    DistrictAdmin,
    IndicatorAdmin,
    InitiativeAdmin,
    InitiativeMentionInline,
    OrganisationTierAdmin,
)
from stats.admin.documents import SourceDocumentAdmin, TierChainAdmin, TierChainLinkInline
from stats.admin.editing import (
    FigureAdmin,
    VersionedForm,
    refuse_control_characters,
    sentence_around,
)
from stats.admin.logins import login_locked_out
from stats.admin.measures import (
    MEASURE_CATEGORIES,
    DefineMeasureForm,
    define_measure,
    define_measure_page,
)
from stats.admin.observations import ObservationAdmin, ObservationForm, describe_quantity

__all__ = [
    "DECISIONS",
    "MEASURE_CATEGORIES",
    "CandidateAdmin",
    "CandidateForm",
    "DefineMeasureForm",
    "DistrictAdmin",
    "FigureAdmin",
    "IndicatorAdmin",
    "IngestForm",
    "InitiativeAdmin",
    "InitiativeMentionInline",
    "ObservationAdmin",
    "ObservationForm",
    "OrganisationTierAdmin",
    "SourceDocumentAdmin",
    "TierChainAdmin",
    "TierChainLinkInline",
    "VersionedForm",
    "define_measure",
    "define_measure_page",
    "describe_quantity",
    "ingest_article_page",
    "login_locked_out",
    "refuse_control_characters",
    "sentence_around",
]
