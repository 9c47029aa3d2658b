"""A new article, written for these tests, goes the whole way: uploaded in admin, its figures
queued with suggestions, reviewed (accepted after editing, rejected, marked duplicate, in bulk),
served by the API, kept in the history, and exported as annotation files from which
build_fixtures rebuilds the same observations."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from stats import ingest
from stats.extraction.corpus import build_corpus
from stats.extraction.reading import without_layout_space
from stats.extraction.sources import read_seed_sources
from stats.ingest.articles import ArticleTextError, read_article_bytes
from stats.models import Candidate, District, Indicator, Observation, SourceDocument
from stats.vocabulary import DatePrecision

pytestmark = pytest.mark.django_db

#: An article written for the tests: a range, a vague figure and a Chinese numeral the seeds
#: do not have, a date and an ordinal that are not statistics.
ARTICLE = (
    "集美区杏林街道党建工作综述\n"
    "2023年，杏林街道有党员2860名，基层党组织96个。\n"
    "全年开展党员培训一千三百余人次，每个社区配备3至5名党建指导员。\n"
    "数十个小区成立了小区党支部。第一批党员示范岗于2023年3月挂牌。\n"
)


@pytest.fixture
def analyst(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("ingester", "i@example.org", "pw-ingest-1")
    client.force_login(user)
    return client


def _upload(client: Client, text: str = ARTICLE, **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "file": SimpleUploadedFile("xinglin.txt", text.encode("utf-8")),
        "title": "集美区杏林街道党建工作综述",
        "outlet": "测试文章 (written for the tests)",
        "published": "2024-01-15",
        "precision": "day",
        "district": "350211",
        "slug": "xinglin-2024",
        **extra,
    }
    return client.post("/admin/stats/candidate/ingest/", data)


def test_an_article_uploaded_in_admin_queues_every_numeral_with_suggestions(analyst: Client):
    response = _upload(analyst)
    document = SourceDocument.objects.get(slug="xinglin-2024")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/admin/stats/candidate/?document__id__exact={document.pk}&status=pending"
    )
    assert (document.place.code, document.published_earliest) == ("350211", date(2024, 1, 15))
    candidates = {c.raw: c for c in document.candidates.all()}
    assert set(candidates) >= {"2860名", "96个", "一千三百余人次", "3至5名", "数十个"}
    members = candidates["2860名"]
    assert members.document.text[members.start : members.end] == members.quote
    assert (members.district.code, members.status) == ("350211", "pending")
    assert Candidate.history.filter(document=document).count() == len(candidates)
    page = analyst.get(response["Location"])
    assert page.status_code == 200
    assert "<mark><strong>2860名</strong></mark>" in page.content.decode()


def test_the_same_text_twice_is_refused_with_a_clear_message(analyst: Client):
    _upload(analyst)
    again = _upload(analyst, slug="xinglin-again")
    assert again.status_code == 200
    assert (
        "this text is already document &#x27;xinglin-2024&#x27; (集美区杏林街道党建工作综述); "
        "nothing was added" in again.content.decode()
    )
    assert not SourceDocument.objects.filter(slug="xinglin-again").exists()


def test_a_file_that_is_not_utf8_is_refused_naming_the_byte(analyst: Client):
    response = _upload(analyst, file=SimpleUploadedFile("gbk.txt", ARTICLE.encode("gbk")))
    assert response.status_code == 200
    assert "not UTF-8 text: invalid start byte at byte 0" in response.content.decode()
    assert not SourceDocument.objects.filter(slug="xinglin-2024").exists()


def test_the_command_ingests_a_file_and_refuses_it_twice(tmp_path: Path, capsys):
    path = tmp_path / "xinglin.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    args = [
        "ingest", str(path), "--title", "杏林街道", "--outlet", "测试", "--published",
        "2024-01-15", "--district", "350211", "--slug", "xinglin-2024",
    ]  # fmt: skip
    call_command(*args)
    out = capsys.readouterr().out
    count = Candidate.objects.filter(document__slug="xinglin-2024").count()
    assert out.startswith(f"xinglin-2024: {count} figure(s) queued for review (")
    with pytest.raises(CommandError, match="this text is already document 'xinglin-2024'"):
        call_command(*[*args[:-1], "other-slug"])


def _review_in_admin(client: Client, candidate: Candidate, **fields: str):  # type: ignore[no-untyped-def]
    """Post the candidate's change form as the page would, with ``fields`` changed (codes are
    given for the related rows; the form takes their ids), and the version it was opened on."""
    page = client.get(f"/admin/stats/candidate/{candidate.pk}/change/")
    loaded_version = page.context["adminform"].form["loaded_version"].value()
    for name, model in (("indicator", Indicator), ("district", District)):
        if fields.get(name):
            fields[name] = str(model.objects.get(code=fields[name]).pk)
    data = {
        "indicator": candidate.indicator_id or "",
        "district": candidate.district_id or "",
        "sub_unit": candidate.sub_unit,
        "tier": candidate.tier_id or "",
        "initiative": candidate.initiative_id or "",
        "breakdown": candidate.breakdown,
        "statistic": candidate.statistic,
        "figure_status": candidate.figure_status,
        "period_label": candidate.period_label,
        "period_start": candidate.period_start.isoformat() if candidate.period_start else "",
        "period_end": candidate.period_end.isoformat() if candidate.period_end else "",
        "period_kind": candidate.period_kind,
        "unit": candidate.unit,
        "reason": candidate.reason,
        "duplicate_of": "",
        "note": candidate.note,
        "decision": "",
        "loaded_version": loaded_version,
        **fields,
    }
    return client.post(f"/admin/stats/candidate/{candidate.pk}/change/", data)


#: The reviewer's decisions on the article's statistics: what each figure counts, and when.
ACCEPTED = {
    "2860名": ("party_members", "stock"),
    "96个": ("grassroots_party_organisations", "stock"),
    "一千三百余人次": ("training_participants", "flow"),
}
PERIOD_2023 = {"period_label": "2023年", "period_start": "2023-01-01", "period_end": "2023-12-31"}


def _accept_the_statistics(client: Client, document: SourceDocument) -> None:
    """Accept the article's three statistics after editing them, as a reviewer would."""
    by_raw = {c.raw: c for c in document.candidates.all()}
    for raw, (indicator, kind) in ACCEPTED.items():
        response = _review_in_admin(
            client,
            by_raw[raw],
            indicator=indicator,
            district="350211",
            period_kind=kind,
            unit="",
            decision="accept",
            **PERIOD_2023,
        )
        assert response.status_code == 302, response.content.decode()[:2000]


def _jimei_members() -> Observation:
    """A figure the corpus has from another report, to mark a candidate a duplicate of."""
    return Observation.objects.get(document__slug="jimei-2021", raw="1.6万名")


def _review_the_whole_article(client: Client) -> SourceDocument:
    """Upload the article and decide every figure: accept three, reject one with a reason, mark
    one a duplicate, and reject the rest in bulk for the reasons suggested."""
    _upload(client)
    document = SourceDocument.objects.get(slug="xinglin-2024")
    by_raw = {c.raw: c for c in document.candidates.all()}
    _accept_the_statistics(client, document)
    response = _review_in_admin(
        client, by_raw["3至5名"], decision="reject", reason="structure", note="per community"
    )
    assert response.status_code == 302
    response = _review_in_admin(
        client, by_raw["数十个"], decision="duplicate", duplicate_of=str(_jimei_members().pk)
    )
    assert response.status_code == 302
    rest = document.candidates.filter(status="pending")
    response = client.post(
        "/admin/stats/candidate/",
        {"action": "reject_as_suggested", "_selected_action": [c.pk for c in rest]},
    )
    assert response.status_code == 302
    return document


def test_an_accepted_candidate_becomes_an_observation_read_from_its_words(analyst: Client):
    _upload(analyst)
    document = SourceDocument.objects.get(slug="xinglin-2024")
    _accept_the_statistics(analyst, document)
    training = document.candidates.get(raw="一千三百余人次")
    assert training.status == "accepted"
    observation = training.observation
    # 一千三百余 is more than 1300 and, by convention, below 1400; 人次 are person-times.
    assert (observation.value, observation.lower_bound, observation.upper_bound) == (
        Decimal(1300),
        Decimal(1300),
        Decimal(1400),
    )
    assert (observation.qualifier, observation.unit) == ("more_than_bounded", "person_time")
    assert (observation.indicator.code, observation.period_kind) == (
        "training_participants",
        "flow",
    )


def test_an_accepted_figure_is_served_by_the_api_with_its_words(analyst: Client):
    _upload(analyst)
    document = SourceDocument.objects.get(slug="xinglin-2024")
    _accept_the_statistics(analyst, document)
    observation = document.candidates.get(raw="一千三百余人次").observation
    api = analyst.get(f"/api/v1/observations/xinglin-2024:{observation.figure_start}/").json()
    assert (api["value"], api["qualifier"], api["indicator"]["code"]) == (
        "1300",
        "more_than_bounded",
        "training_participants",
    )
    assert api["source"]["quote"] == observation.quote


def test_a_rejected_candidate_keeps_the_reason_and_note_the_reviewer_gave(analyst: Client):
    _upload(analyst)
    instructors = SourceDocument.objects.get(slug="xinglin-2024").candidates.get(raw="3至5名")
    response = _review_in_admin(
        analyst, instructors, decision="reject", reason="structure", note="per community"
    )
    assert response.status_code == 302
    instructors.refresh_from_db()
    assert (instructors.status, instructors.reason, instructors.note) == (
        "rejected",
        "structure",
        "per community",
    )


def test_a_duplicate_points_at_the_observation_of_the_other_report(analyst: Client):
    _upload(analyst)
    compounds = SourceDocument.objects.get(slug="xinglin-2024").candidates.get(raw="数十个")
    response = _review_in_admin(
        analyst, compounds, decision="duplicate", duplicate_of=str(_jimei_members().pk)
    )
    assert response.status_code == 302
    compounds.refresh_from_db()
    assert (compounds.status, compounds.duplicate_of) == ("duplicate", _jimei_members())


def test_the_rest_rejected_in_bulk_take_the_reasons_suggested(analyst: Client):
    _upload(analyst)
    document = SourceDocument.objects.get(slug="xinglin-2024")
    suggested = {
        c.pk: c.suggested_reason for c in document.candidates.exclude(raw__in=list(ACCEPTED))
    }
    document = _review_the_whole_article(analyst)
    assert not document.candidates.filter(status="pending").exists()
    bulk = document.candidates.exclude(raw__in=[*ACCEPTED, "3至5名", "数十个"])
    assert bulk.exists()
    for candidate in bulk:
        # Only figures with a suggested reason can be rejected in bulk; all of these have one.
        assert suggested[candidate.pk]
        assert (candidate.status, candidate.reason) == ("rejected", suggested[candidate.pk])


def test_every_decision_is_kept_in_the_history(analyst: Client):
    document = _review_the_whole_article(analyst)
    reasons = set(
        Candidate.history.filter(document=document).values_list("history_change_reason", flat=True)
    )
    assert {"ingest", "review: accepted", "review: rejected (structure)", "review: duplicate"} <= (
        reasons
    )


def test_the_exported_annotations_rebuild_the_accepted_observations(
    analyst: Client, tmp_path: Path
):
    document = _review_the_whole_article(analyst)
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.SEEDS_DIR, seeds)
    call_command("export_annotations", "xinglin-2024", "--seeds", str(seeds))
    corpus = build_corpus(read_seed_sources(seeds))
    assert [str(e) for e in corpus.errors] == []
    assert corpus.untriaged == 0
    rebuilt = sorted(
        (r.figure_start, r.quote, r.indicator, r.district, r.period_label, r.period_start,
         r.period_end, r.period_kind.value, r.quantity.value, r.unit)
        for r in corpus.observations
        if r.document == "xinglin-2024"
    )  # fmt: skip
    stored = sorted(
        (o.figure_start, o.quote, o.indicator.code, o.district.code, o.period_label,
         o.period_start, o.period_end, o.period_kind, o.value, o.unit)
        for o in Observation.objects.filter(document=document)
    )  # fmt: skip
    assert [row[2] for row in stored] == [
        "party_members",
        "grassroots_party_organisations",
        "training_participants",
    ]
    assert rebuilt == stored


def test_export_refuses_while_candidates_are_pending(analyst: Client, tmp_path: Path):
    _upload(analyst)
    with pytest.raises(CommandError, match=r"candidate\(s\) of 'xinglin-2024' still pending"):
        call_command("export_annotations", "xinglin-2024", "--seeds", str(tmp_path))


def test_accepting_without_an_indicator_says_what_is_missing():
    _, candidates = ingest.ingest_article(
        ingest.Article(
            text=ARTICLE,
            title="杏林",
            outlet="测试",
            published=date(2024, 1, 15),
            precision=DatePrecision.DAY,
            district="350211",
            slug="xinglin-2024",
        )
    )
    candidate = next(c for c in candidates if c.raw == "2860名")
    candidate.indicator = None
    with pytest.raises(ingest.ReviewError, match="say indicator before accepting"):
        ingest.accept(candidate)
    assert candidate.observation is None


def test_person_times_are_never_accepted_as_persons():
    """一千三百余人次 counts attendances: accepting it as party members is refused, as
    build_fixtures would refuse the annotation."""
    _, candidates = ingest.ingest_article(
        ingest.Article(
            text=ARTICLE,
            title="杏林",
            outlet="测试",
            published=date(2024, 1, 15),
            district="350211",
            slug="xinglin-2024",
        )
    )
    candidate = next(c for c in candidates if c.raw == "一千三百余人次")
    candidate.indicator = Indicator.objects.get(code="party_members")
    candidate.unit = ""
    candidate.period_label, candidate.period_kind = "2023年", "flow"
    with pytest.raises(
        ingest.ReviewError,
        match=r"figure '一千三百余人次' is in person_time but a level of 'party_members' is "
        r"in person; set 'unit', 'statistic' or choose another indicator",
    ):
        ingest.accept(candidate)


BULLETIN = Path(__file__).parent / "extraction" / "articles" / "tongan-bulletin-2023.txt"


def test_a_bulletin_shaped_report_is_queued_with_measure_breakdown_and_statistic(
    analyst: Client,
):
    # 同安区's annual party statistics bulletin, written for the tests.
    response = _upload(
        analyst,
        BULLETIN.read_text(encoding="utf-8"),
        title="同安区2023年党内统计公报",
        published="2024-06-28",
        district="350212",
        slug="tongan-bulletin-2023",
    )
    assert response.status_code == 302
    document = SourceDocument.objects.get(slug="tongan-bulletin-2023")
    queued = {
        c.raw: (
            c.indicator.code if c.indicator else None,
            c.breakdown,
            c.statistic,
            c.figure_status,
        )
        for c in document.candidates.select_related("indicator")
    }
    assert queued["2.46万名"] == ("party_members", "", "level", "actual")
    assert queued["512名"] == ("party_members", "", "change", "actual")
    assert queued["2.1%"] == ("party_members", "", "growth_rate", "actual")
    assert queued["8312名"] == ("party_members", "sex:female", "level", "actual")
    assert queued["33.8%"] == ("party_members", "sex:female", "share", "actual")
    assert queued["5120名"] == ("party_members", "age:35_or_under", "level", "actual")
    assert queued["486名"] == ("members_recruited", "", "level", "actual")
    assert queued["41个"] == ("grassroots_party_committees", "", "level", "actual")
    assert queued["63个"] == ("general_party_branches", "", "level", "actual")
    assert queued["1187个"] == ("party_branches", "", "level", "actual")

    # Accepting the share files it as a series of its own, in percent.
    share = document.candidates.get(raw="33.8%")
    share.period_label, share.period_kind = "截至2023年12月31日", "stock"
    share.period_start = share.period_end = date(2023, 12, 31)
    share.save()
    observation = ingest.accept(share)
    assert (observation.unit, observation.value, observation.series) == (
        "percent",
        Decimal("33.8"),
        "party_members.350212._T.sex:female.share.actual._Z._Z",
    )


def test_the_queue_says_when_no_measure_fits_rather_than_suggesting_a_wrong_one(
    analyst: Client,
):
    _upload(analyst)
    document = SourceDocument.objects.get(slug="xinglin-2024")
    gap = document.candidates.get(raw="数十个")
    assert (gap.indicator, gap.counted_noun) == (None, "小区")
    page = analyst.get(f"/admin/stats/candidate/?document__id__exact={document.pk}")
    assert "no measure fits «小区»: define one" in page.content.decode()


# --- what an article may be: its size and its characters ---------------------------------------

#: The test article padded with spaces to exactly 1 MiB: twice the default limit.
ONE_MIB = ARTICLE + " " * (2**20 - len(ARTICLE.encode("utf-8")))
TOO_BIG = (
    "the file is 1,048,576 bytes (1.0 MiB): an article may be at most 524,288 bytes (512 KiB) "
    "(INGEST_MAX_BYTES); nothing was added"
)
#: A NUL inside 有党员2860名, on the article's second line.
WITH_NUL = ARTICLE.replace("有党员2860名", "有党员\x002860名")
NUL_REFUSED = (
    "the text has control character U+0000 (NUL) at offset 27 (line 2, column 14): only tab, "
    "line feed and carriage return may appear; nothing was added"
)


def test_the_limit_is_512_kib_and_bigger_uploads_are_never_held_in_memory():
    assert settings.INGEST_MAX_BYTES == 524_288
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 524_288
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1_048_576


def test_a_1_mib_upload_is_refused_naming_the_limit_and_its_size(analyst: Client):
    assert len(ONE_MIB.encode("utf-8")) == 2**20
    documents, candidates = SourceDocument.objects.count(), Candidate.objects.count()
    response = _upload(analyst, ONE_MIB)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [TOO_BIG]
    assert (SourceDocument.objects.count(), Candidate.objects.count()) == (documents, candidates)
    assert not SourceDocument.objects.filter(slug="xinglin-2024").exists()


def test_the_command_refuses_a_1_mib_file_naming_the_limit_and_its_size(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text(ONE_MIB, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command(
            "ingest", str(path), "--title", "杏林", "--outlet", "测试", "--published", "2024-01-15"
        )
    assert str(refused.value) == f"{path}: {TOO_BIG}"
    assert not SourceDocument.objects.filter(original_name="big.txt").exists()


class _Stream:
    """A file that records how much was asked of it."""

    def __init__(self, size: int) -> None:
        self.data = b"x" * size
        self.asked: list[int] = []

    def read(self, size: int = -1) -> bytes:
        self.asked.append(size)
        return self.data[:size] if size >= 0 else self.data


def test_a_file_is_refused_from_its_size_before_anything_is_read():
    stream = _Stream(2**20)
    with pytest.raises(ingest.IngestError, match=r"^the file is 1,048,576 bytes \(1\.0 MiB\)"):
        read_article_bytes(stream, size=2**20)  # type: ignore[arg-type]
    assert stream.asked == []


def test_a_file_of_unknown_size_is_read_to_one_byte_past_the_limit_at_most():
    stream = _Stream(50 * 2**20)
    with pytest.raises(ingest.IngestError) as refused:
        read_article_bytes(stream)  # type: ignore[arg-type]
    assert stream.asked == [524_289]
    assert str(refused.value) == (
        "the file is more than 524,288 bytes (512 KiB): an article may be at most 524,288 bytes "
        "(512 KiB) (INGEST_MAX_BYTES); nothing was added"
    )
    assert read_article_bytes(_Stream(524_288)) == b"x" * 524_288  # type: ignore[arg-type]


def test_a_text_with_nul_is_refused_in_admin_naming_the_character_and_where(analyst: Client):
    response = _upload(analyst, WITH_NUL)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [NUL_REFUSED]
    assert not SourceDocument.objects.filter(slug="xinglin-2024").exists()
    assert not Candidate.objects.filter(document__slug="xinglin-2024").exists()


def test_a_text_with_nul_is_a_command_error_not_a_traceback(tmp_path: Path):
    path = tmp_path / "nul.txt"
    path.write_text(WITH_NUL, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command(
            "ingest", str(path), "--title", "杏林", "--outlet", "测试", "--published", "2024-01-15"
        )
    assert str(refused.value) == f"{path}: {NUL_REFUSED}"
    assert not SourceDocument.objects.filter(original_name="nul.txt").exists()


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (WITH_NUL, NUL_REFUSED),
        (
            "\x1b[31m集美区\x1b[0m有党员2860名。",
            "the text has control character U+001B (ESC) at offset 0 (line 1, column 1): only "
            "tab, line feed and carriage return may appear; nothing was added",
        ),
        (
            "第一段\r\n第二段有党员2860名。\f第三页",
            "the text has control character U+000C (FF) at offset 17 (line 2, column 13): only "
            "tab, line feed and carriage return may appear; nothing was added",
        ),
    ],
)
def test_ingest_article_is_the_one_home_of_the_rule(text: str, refused: str):
    article = ingest.Article(text=text, title="杏林", outlet="测试", published=date(2024, 1, 15))
    with pytest.raises(ArticleTextError) as error:
        ingest.ingest_article(article)
    assert str(error.value) == refused
    assert not SourceDocument.objects.filter(title="杏林").exists()


def test_tabs_line_feeds_and_carriage_returns_are_kept_verbatim():
    text = "杏林街道\t党建\r\n有党员2860名。\n"
    document, _ = ingest.ingest_article(
        ingest.Article(text=text, title="杏林", outlet="测试", published=date(2024, 1, 15))
    )
    document.refresh_from_db()
    assert document.text == text


def test_a_control_character_in_the_title_is_refused_too():
    article = ingest.Article(
        text=ARTICLE, title="杏林\x07街道", outlet="测试", published=date(2024, 1, 15)
    )
    with pytest.raises(ingest.IngestError) as error:
        ingest.ingest_article(article)
    assert str(error.value) == (
        "the title has control character U+0007 (BEL) at offset 2 (line 1, column 3): only tab, "
        "line feed and carriage return may appear; nothing was added"
    )


def test_a_title_too_long_for_its_column_is_a_command_error_on_any_database(tmp_path: Path):
    path = tmp_path / "xinglin.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command(
            "ingest", str(path), "--title", "杏林" * 150, "--outlet", "测试", "--published",
            "2024-01-15",
        )  # fmt: skip
    assert str(refused.value) == (
        f"{path}: the title is 300 characters long, more than the 255 it may have; nothing was "
        "added"
    )
    assert not SourceDocument.objects.filter(original_name="xinglin.txt").exists()


def test_a_control_character_in_the_upload_form_is_refused_on_its_field(analyst: Client):
    response = _upload(analyst, title="杏林\x00街道")
    assert response.context["form"].errors["title"] == [
        "This text has control character U+0000 (NUL) at offset 2 (line 1, column 3): only tab, "
        "line feed and carriage return may appear."
    ]
    assert not SourceDocument.objects.filter(slug="xinglin-2024").exists()


TRADITIONAL = Path(__file__).parent / "extraction" / "articles"


def test_a_traditional_script_repost_goes_in_through_the_command_read_and_quoted_as_written(
    tmp_path: Path,
):
    source = TRADITIONAL / "jimei-repost-traditional-2024.txt"
    call_command(
        "ingest", str(source), "--title", "集美區黨建工作綜述", "--outlet", "測試",
        "--published", "2024-03-01", "--district", "350211", "--slug", "jimei-repost-tw-2024",
    )  # fmt: skip
    document = SourceDocument.objects.get(slug="jimei-repost-tw-2024")
    assert document.text == source.read_text(encoding="utf-8")
    members = document.candidates.select_related("indicator").get(raw="近4萬名")
    assert (members.indicator.code, members.district.code) == ("party_members", "350211")
    assert members.quote == "集美區共有黨員近4萬名"
    assert document.text[members.start : members.end] == members.quote
    observation = ingest.accept(members)
    assert (observation.value, observation.qualifier, observation.unit) == (
        Decimal(40000),
        "nearly",
        "person",
    )
    assert (observation.lower_bound, observation.upper_bound, observation.upper_inclusive) == (
        None,
        Decimal(40000),
        False,
    )
    assert observation.quote == "集美區共有黨員近4萬名"


HELD_OUT = sorted((TRADITIONAL).glob("*-heldout-*.yaml"))


@pytest.mark.parametrize("key", HELD_OUT, ids=lambda path: path.stem)
def test_each_held_out_article_goes_in_through_the_command_with_every_keyed_figure_queued(
    key: Path,
):
    import yaml

    answers = yaml.safe_load(key.read_text(encoding="utf-8"))
    text_path = key.with_suffix(".txt")
    earliest = answers.get("published", ["2024-01-15"])[0]
    call_command(
        "ingest", str(text_path), "--title", answers["document"], "--outlet", "测试",
        "--published", str(earliest), "--district", str(answers.get("district", "350000")),
        "--slug", answers["document"],
    )  # fmt: skip
    document = SourceDocument.objects.get(slug=answers["document"])
    queued = list(document.candidates.all())
    for entry in answers["statistics"]:
        figure = without_layout_space(entry["figure"])
        # The key writes the figure; the candidate may carry its marker too (共1526个, 达88.5%).
        found = [c for c in queued if c.raw == figure] or [c for c in queued if figure in c.raw]
        assert found, f"{figure} is not queued"
        candidate = found[0]
        assert document.text[candidate.start : candidate.end] == candidate.quote
        assert candidate.start <= candidate.figure_start < candidate.figure_end <= candidate.end


def test_a_refused_decision_is_a_form_error_with_nothing_saved_and_nothing_logged(
    analyst: Client,
):
    from django.contrib.admin.models import LogEntry

    _upload(analyst)
    document = SourceDocument.objects.get(slug="xinglin-2024")
    training = document.candidates.get(raw="一千三百余人次")
    history_before = training.history.count()
    response = _review_in_admin(
        analyst,
        training,
        indicator="party_members",  # persons: person-times can never be filed under it
        district="350211",
        period_label="2023年",
        period_kind="flow",
        unit="",
        decision="accept",
    )
    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    refused = (
        "figure &#x27;一千三百余人次&#x27; is in person_time but a level of "
        "&#x27;party_members&#x27; is in person"
    )
    assert refused in page
    assert "was changed successfully" not in page
    assert not LogEntry.objects.filter(object_id=str(training.pk)).exists()
    training.refresh_from_db()  # as suggested, untouched
    assert (training.status, training.indicator.code, training.history.count()) == (
        "pending",
        "training_participants",
        history_before,
    )
