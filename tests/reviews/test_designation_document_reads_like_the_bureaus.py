"""The designation document reads like the bureau's own paper: its number carries the configured issuing-office
prefix (淄科字〔2026〕1号), its title is built from the call's year and batch without repeated words, and the
certificate names the alliance."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.models import Alliance
from alliances.workflow import State
from reviews import batches, documents, services
from reviews.models import BatchDecision, StagedOutcome
from tests.factories import AllianceFactory

from .batch_fixtures import batch_call, end_batch_notice, in_joint_review
from .pdf_helpers import downloaded, pdf_text

pytestmark = pytest.mark.django_db

NAME = "淄博先进陶瓷产业技术创新战略联盟"


def _designate(call, officer, capture):
    row = in_joint_review(call, NAME)
    batches.stage_outcome(row, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, by=officer)
    batches.release_batch(call, by=officer)
    end_batch_notice(call)
    with capture(execute=True):
        return batches.designate_batch(call, by=officer)


def test_number_carries_the_configured_prefix(settings, officer, django_capture_on_commit_callbacks):
    settings.PORTAL = {**settings.PORTAL, "DOCUMENT_NUMBER_PREFIX": "鲁科字"}
    decision = _designate(batch_call(), officer, django_capture_on_commit_callbacks)
    assert decision.document_number == f"鲁科字〔{timezone.localdate().year}〕1号"
    assert BatchDecision.format_document_number(2027, 12) == "鲁科字〔2027〕12号"


def test_title_from_the_year_and_batch_without_repeated_words(client, officer, django_capture_on_commit_callbacks):
    call = batch_call(year=2026, batch_number=2, title="2026年度第二批产业技术创新战略联盟试点申报通知")
    _designate(call, officer, django_capture_on_commit_callbacks)

    page = client.get(reverse("reviews:batch_document", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    title = "淄博市科学技术局关于认定2026年度第二批淄博市产业技术创新战略联盟试点单位的决定"
    assert title in page.content.decode()
    assert call.title not in page.content.decode()  # the call's own title would repeat 联盟, 试点 and 申报
    pdf = pdf_text(downloaded(client.get(reverse("reviews:batch_document_pdf", args=[call.pk]))))
    assert title in pdf
    assert pdf.count("产业技术创新战略联盟试点单位的决定") == 1


def test_title_in_english(client, officer, django_capture_on_commit_callbacks):
    call = batch_call(year=2026, batch_number=3)
    _designate(call, officer, django_capture_on_commit_callbacks)
    content = client.get(reverse("reviews:batch_document", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="en")\
        .content.decode()
    assert "on designating batch 3 of 2026 of the" in content


@pytest.mark.parametrize(("number", "numeral"), [(1, "一"), (2, "二"), (10, "十"), (12, "十二"), (21, "二十一")])
def test_batch_numbers_in_chinese(number, numeral):
    assert documents.chinese_numeral(number) == numeral


def test_certificate_names_the_alliance(client, officer, django_capture_on_commit_callbacks):
    alliance = AllianceFactory(name=NAME)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    with django_capture_on_commit_callbacks(execute=True):
        designation = services.designate(alliance, level="pilot", by=officer)
    client.force_login(officer)
    text = pdf_text(downloaded(client.get(reverse("reviews:certificate_pdf", args=[designation.pk]))))
    assert f"{NAME}被认定为" in text
