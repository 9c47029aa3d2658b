"""Ingest an article from the admin: its text file uploaded with what is known of it, stored,
and every figure in it queued for review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from stats import ingest
from stats.admin.editing import refuse_control_characters
from stats.ingest.articles import ArticleTextError, read_article_bytes
from stats.models import Candidate, District
from stats.vocabulary import DatePrecision


class IngestForm(forms.Form):
    """A new article: its text file and what is known of it."""

    file = forms.FileField(help_text="the article as UTF-8 text")
    title = forms.CharField(max_length=255)
    title_en = forms.CharField(max_length=255, required=False, label="title (English)")
    outlet = forms.CharField(max_length=255)
    published = forms.DateField(help_text="YYYY-MM-DD")
    precision = forms.ChoiceField(
        choices=[(p.value, p.value) for p in DatePrecision], initial=DatePrecision.DAY.value
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.order_by("code"),
        to_field_name="code",
        required=False,
        help_text="whose figures these are unless the text says otherwise",
    )
    slug = forms.SlugField(max_length=64, required=False, help_text="default: from the title")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.INGEST_MAX_BYTES
        self.fields["file"].help_text = (
            f"the article as UTF-8 text, at most {limit:,} bytes ({limit / 1024:.0f} KiB); no "
            "control characters but tab and line ends"
        )
        refuse_control_characters(self.fields)


def ingest_article_page(
    model_admin: admin.ModelAdmin[Candidate], request: HttpRequest
) -> HttpResponse:
    """The page to upload an article: stored, and its figures queued for review."""
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            # Refused from its size before it is read; never more than the limit in memory.
            text = read_article_bytes(upload, upload.size).decode("utf-8")
            district = data["district"]
            document, candidates = ingest.ingest_article(
                ingest.Article(
                    text=text,
                    title=data["title"],
                    title_en=data["title_en"],
                    outlet=data["outlet"],
                    published=data["published"],
                    precision=DatePrecision(data["precision"]),
                    district=district.code if district else None,
                    original_name=data["file"].name,
                    slug=data["slug"],
                )
            )
        except UnicodeDecodeError as error:
            form.add_error("file", f"not UTF-8 text: {error.reason} at byte {error.start}")
        except ArticleTextError as error:
            form.add_error("file", str(error))
        except ingest.IngestError as error:
            form.add_error(None, str(error))
        else:
            model_admin.message_user(
                request,
                f"{document.slug}: {len(candidates)} figure(s) queued for review",
                messages.SUCCESS,
            )
            changelist = reverse("admin:stats_candidate_changelist")
            return redirect(f"{changelist}?document__id__exact={document.pk}&status=pending")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Ingest an article · 导入文章",
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/stats/candidate/ingest.html", context)
