"""New articles in, reviewed figures out.

- :mod:`stats.ingest.articles`: store an article, queue a candidate for each of its numerals
  with the suggestions for what it means;
- :mod:`stats.ingest.review`: a reviewer's decisions (accept, reject, duplicate), each in the
  history;
- :mod:`stats.ingest.export`: a reviewed document written as seed files through the
  annotation writer (stats.extraction.writer), so ``build_fixtures`` rebuilds it.

``manage.py ingest``, ``manage.py export_annotations`` and the admin's upload page call these;
they hold no logic of their own.
"""

from stats.ingest.articles import Article, IngestError, ingest_article
from stats.ingest.export import export_annotations
from stats.ingest.review import ReviewError, accept, mark_duplicate, refusal, reject

__all__ = [
    "Article",
    "IngestError",
    "ReviewError",
    "accept",
    "export_annotations",
    "ingest_article",
    "mark_duplicate",
    "refusal",
    "reject",
]
