"""Until the batch is released, applicants see only that their application is under review: no page or API
response shows a staged outcome or its reason, and the batch's public notice does not exist yet."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from reviews import batches
from reviews.models import StagedOutcome

from .batch_fixtures import batch_call, in_joint_review

pytestmark = pytest.mark.django_db

SECRET_REASON = "与已认定的高端装备联盟领域重复，建议明年整合后再申报"
PROPOSED_NOTE = "专家评分位列本批第一"


@pytest.fixture
def call(db):
    return batch_call()


@pytest.fixture
def staged(call, officer):
    proposed = in_joint_review(call, "淄博先进陶瓷产业技术创新战略联盟")
    declined = in_joint_review(call, "淄博高端装备产业技术创新战略联盟")
    batches.stage_outcome(proposed, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, reason=PROPOSED_NOTE, by=officer)
    batches.stage_outcome(declined, outcome=StagedOutcome.Outcome.NOT_THIS_TIME, reason=SECRET_REASON, by=officer)
    return proposed, declined


WORDS = ("Proposed pilot", "Not this time", "拟认定为试点", "本批暂不认定", "proposed_pilot", "not_this_time",
         SECRET_REASON, PROPOSED_NOTE)


def leaks(text: str) -> list[str]:
    return [word for word in WORDS if word in text]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_applicant_pages_and_api_show_no_staged_outcome(client, call, staged, language):
    for alliance in staged:
        client.force_login(alliance.applicant)
        pages = {
            "detail": client.get(reverse("alliances:detail", args=[alliance.pk]), HTTP_ACCEPT_LANGUAGE=language),
            "api": client.get(f"/api/v1/alliances/{alliance.pk}/", HTTP_ACCEPT_LANGUAGE=language),
            "api_list": client.get("/api/v1/alliances/", HTTP_ACCEPT_LANGUAGE=language),
            "notifications": client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE=language),
            "home": client.get("/", HTTP_ACCEPT_LANGUAGE=language),
        }
        for name, response in pages.items():
            assert response.status_code == 200, name
            assert leaks(response.content.decode()) == [], name
        assert alliance.name in pages["detail"].content.decode()
        assert alliance.name in pages["api"].content.decode()
        # The bureau's pages stay closed to the applicant.
        assert client.get(reverse("reviews:batch", args=[call.pk])).status_code == 403
        assert client.get(reverse("reviews:application", args=[alliance.pk])).status_code == 403
    assert not Notification.objects.filter(recipient__in=[a.applicant for a in staged]).exists()


def test_public_pages_show_nothing_before_release(client, call, staged):
    assert client.get(reverse("reviews:batch_notice", args=[call.pk])).status_code == 404
    assert client.get(reverse("reviews:batch_document", args=[call.pk])).status_code == 404
    notices = client.get(reverse("reviews:notices"))
    assert leaks(notices.content.decode()) == []
    assert staged[0].name not in notices.content.decode()


def test_after_release_the_applicant_reads_their_own_outcome_only(client, call, staged, officer,
                                                                  django_capture_on_commit_callbacks):
    proposed, declined = staged
    with django_capture_on_commit_callbacks(execute=True):
        batches.release_batch(call, by=officer)
    client.force_login(declined.applicant)
    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert SECRET_REASON in page
    assert PROPOSED_NOTE not in page
    client.force_login(proposed.applicant)
    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert PROPOSED_NOTE in page
    assert SECRET_REASON not in page
