"""The officer's batch page (staging over HTTP, release and designate buttons with their blockers, constant
query count), the joint review's view of the whole list, the public notice of the batch, forbidden roles."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from alliances.workflow import State
from reviews import batches
from reviews.models import BatchDecision, Designation, Objection, PublicNotice, StagedOutcome
from tests.factories import UserFactory

from .batch_fixtures import batch_call, end_batch_notice, in_joint_review

pytestmark = pytest.mark.django_db

PROPOSED, NOT_THIS_TIME = StagedOutcome.Outcome.PROPOSED_PILOT, StagedOutcome.Outcome.NOT_THIS_TIME


@pytest.fixture
def call(db):
    return batch_call(title="2026年度第一批产业技术创新战略联盟申报")


def page(client, call, **kwargs):
    return client.get(reverse("reviews:batch", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def test_officer_stages_an_outcome_over_http(client, call, officer):
    alliance = in_joint_review(call, "淄博先进陶瓷产业技术创新战略联盟")
    client.force_login(officer)
    response = client.post(reverse("reviews:batch_stage", args=[call.pk, alliance.pk]),
                           {f"a{alliance.pk}-outcome": NOT_THIS_TIME, f"a{alliance.pk}-reason": "研发投入不足"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/reviews/calls/{call.pk}/batch/#row-{alliance.pk}")
    row = StagedOutcome.objects.get(alliance=alliance)
    assert (row.outcome, row.reason, row.staged_by) == (NOT_THIS_TIME, "研发投入不足", officer)
    content = page(client, call).content.decode()
    assert "研发投入不足" in content
    assert "Not this time" in content


def test_missing_reason_is_a_form_error_that_keeps_the_input(client, call, officer):
    alliance = in_joint_review(call, "甲联盟")
    client.force_login(officer)
    response = client.post(reverse("reviews:batch_stage", args=[call.pk, alliance.pk]),
                           {f"a{alliance.pk}-outcome": NOT_THIS_TIME, f"a{alliance.pk}-reason": "",
                            f"a{alliance.pk}-position": "4"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Write down the reason for “not this time”." in content
    assert f'name="a{alliance.pk}-position" value="4"' in content
    assert not StagedOutcome.objects.exists()


def test_refusal_is_shown_with_the_input_kept(client, call, officer):
    alliance = in_joint_review(call, "甲联盟", agree=False)
    client.force_login(officer)
    response = client.post(reverse("reviews:batch_stage", args=[call.pk, alliance.pk]),
                           {f"a{alliance.pk}-outcome": PROPOSED, f"a{alliance.pk}-reason": "我们认为应当认定"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    content = response.content.decode()
    assert "It cannot be proposed as a pilot" in content
    assert "我们认为应当认定" in content


def test_release_and_designate_over_http(client, call, officer):
    a = in_joint_review(call, "甲联盟")
    b = in_joint_review(call, "乙联盟")
    client.force_login(officer)
    content = page(client, call).content.decode()
    assert "No staged outcome yet: 乙联盟、甲联盟" in content or "No staged outcome yet: 甲联盟、乙联盟" in content
    batches.stage_outcome(a, outcome=PROPOSED, by=officer)
    batches.stage_outcome(b, outcome=NOT_THIS_TIME, reason="不符合条件", by=officer)
    response = client.post(reverse("reviews:batch_release", args=[call.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "The batch was released" in response.content.decode()
    a.refresh_from_db()
    assert a.state == State.PUBLIC_NOTICE
    assert "The public notice runs until" in page(client, call).content.decode()
    end_batch_notice(call)
    response = client.post(reverse("reviews:batch_designate", args=[call.pk]), follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "The batch was designated" in content
    number = Designation.objects.get(alliance=a).certificate_number
    assert number in content
    assert reverse("reviews:batch_document", args=[call.pk]) in content


def test_designate_button_names_open_objections(client, call, officer):
    a = in_joint_review(call, "甲联盟")
    batches.stage_outcome(a, outcome=PROPOSED, by=officer)
    batches.release_batch(call, by=officer)
    end_batch_notice(call)
    Objection.objects.create(notice=a.public_notices.get(), name="李某", phone="13800000000", text="数据不实")
    client.force_login(officer)
    content = page(client, call).content.decode()
    assert "Objections not resolved yet: 甲联盟（1）" in content
    assert "1 open objection" in content


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.DEPARTMENT_REVIEWER, Role.DISTRICT_REVIEWER,
                                  Role.LIAISON])
def test_other_roles_may_not_open_or_act(client, call, officer, role):
    alliance = in_joint_review(call, "甲联盟")
    client.force_login(UserFactory(roles=[role]))
    assert page(client, call).status_code == 403
    stage = client.post(reverse("reviews:batch_stage", args=[call.pk, alliance.pk]),
                        {f"a{alliance.pk}-outcome": PROPOSED})
    assert stage.status_code == 403
    assert client.post(reverse("reviews:batch_release", args=[call.pk])).status_code == 403
    assert client.post(reverse("reviews:batch_designate", args=[call.pk])).status_code == 403
    assert not StagedOutcome.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, call):
    response = page(client, call)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_unknown_call_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("reviews:batch", args=[999999])).status_code == 404


def test_a_call_decided_one_by_one_says_so_and_offers_nothing_to_release_or_designate(client, call, officer):
    """Issue 20, point 7: a call whose applications were designated and rejected one by one (before batch
    decisions, or imported) showed its pilots as "not staged yet" and offered release and designation."""
    pilot, rejected = in_joint_review(call, "逐项认定联盟"), in_joint_review(call, "逐项不予通过联盟")
    type(pilot).objects.filter(pk=pilot.pk).update(state=State.PILOT)
    type(rejected).objects.filter(pk=rejected.pk).update(state=State.REJECTED)
    client.force_login(officer)
    html = page(client, call).content.decode()
    assert 'id="decided-one-by-one"' in html
    assert "Not staged yet" not in html
    assert html.count("Decided on its own") == 2
    assert 'id="release"' not in html
    assert 'id="designate"' not in html
    assert 'id="batch-steps"' not in html
    # while one application is still under review the call is a batch as usual
    in_joint_review(call, "仍在会审联盟")
    html = page(client, call).content.decode()
    assert 'id="decided-one-by-one"' not in html
    assert 'id="release"' in html


def _batch_of(call, officer, size):
    for i in range(size):
        alliance = in_joint_review(call, f"联盟{i:02d}")
        if i % 2:  # the calls' names repeat, so each may duplicate another: a proposal then gives its reason
            batches.stage_outcome(alliance, outcome=PROPOSED, reason=f"不重复的理由{i}", by=officer)
        else:
            batches.stage_outcome(alliance, outcome=NOT_THIS_TIME, reason=f"理由{i}", by=officer)


@pytest.mark.parametrize("size", [2, 8])
def test_batch_page_query_count_is_constant(client, officer, django_assert_num_queries, size):
    call = batch_call()
    _batch_of(call, officer, size)
    client.force_login(officer)
    page(client, call)  # warm the session and per-request caches
    with django_assert_num_queries(11):  # the session is read from the database (sessions survive Redis)
        response = page(client, call)
    assert response.content.decode().count('class="batch-form-row"') == size


def test_joint_review_sees_the_whole_list_with_staged_outcomes(client, call, officer, department_reviewers):
    a = in_joint_review(call, "甲联盟")
    b = in_joint_review(call, "乙联盟")
    batches.stage_outcome(b, outcome=NOT_THIS_TIME, reason="与现有联盟重复", by=officer)
    reviewer = next(iter(department_reviewers.values()))
    client.force_login(reviewer)
    content = client.get(reverse("reviews:opinion", args=[a.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="call-slate"' in content
    assert "乙联盟" in content
    assert "与现有联盟重复" in content
    assert "Not this time" in content


def test_public_notice_of_the_batch_lists_the_proposed_only(client, call, officer):
    a = in_joint_review(call, "淄博先进陶瓷产业技术创新战略联盟")
    b = in_joint_review(call, "淄博生物医药产业技术创新战略联盟")
    c = in_joint_review(call, "淄博智能装备产业技术创新战略联盟")
    batches.stage_outcome(a, outcome=PROPOSED, by=officer)
    batches.stage_outcome(b, outcome=NOT_THIS_TIME, reason="核心企业不足", by=officer)
    batches.stage_outcome(c, outcome=PROPOSED, by=officer)
    batches.release_batch(call, by=officer)
    today = timezone.localdate()  # the notice starts tomorrow: let it run from today
    PublicNotice.objects.filter(alliance__call=call).update(starts_on=today)
    BatchDecision.objects.filter(call=call).update(notice_starts_on=today)
    response = client.get(reverse("reviews:batch_notice", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    content = response.content.decode()
    assert "淄博先进陶瓷产业技术创新战略联盟" in content
    assert "淄博智能装备产业技术创新战略联盟" in content
    assert "淄博生物医药产业技术创新战略联盟" not in content
    assert "核心企业不足" not in content
    for alliance in (a, c):
        notice = alliance.public_notices.get()
        assert reverse("reviews:notice", args=[notice.pk]) in content
    assert 'id="how-to-object"' in content


def test_application_page_links_to_its_batch(client, call, officer):
    alliance = in_joint_review(call, "甲联盟")
    client.force_login(officer)
    content = client.get(reverse("reviews:application", args=[alliance.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("reviews:batch", args=[call.pk]) in content
    assert "it is decided with its call" in content


def test_public_notice_says_when_it_starts(client, call, officer):
    alliance = in_joint_review(call, "甲联盟")
    batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)
    batches.release_batch(call, by=officer)
    content = client.get(reverse("reviews:batch_notice", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The notice period has not started yet" in content
    assert reverse("reviews:notice", args=[alliance.public_notices.get().pk]) not in content


def test_admin_lists_batch_records_read_only(client, call, officer, admin_user):
    alliance = in_joint_review(call, "甲联盟")
    batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)
    batches.release_batch(call, by=officer)
    client.force_login(admin_user)
    for model in ("stagedoutcome", "batchdecision"):
        response = client.get(f"/admin/reviews/{model}/")
        assert response.status_code == 200
        assert "甲联盟" in response.content.decode() or call.title in response.content.decode()
        assert client.get(f"/admin/reviews/{model}/add/").status_code == 403


def test_joint_review_page_query_count_does_not_grow_with_the_call(client, officer, department_reviewers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reviewer = next(iter(department_reviewers.values()))
    client.force_login(reviewer)
    counts = []
    calls = {size: batch_call() for size in (2, 8)}
    for size, call in calls.items():  # both built before measuring: each sees the other's look-alike names
        _batch_of(call, officer, size)
    for size, call in calls.items():
        first = call.applications.order_by("pk").first()
        url = reverse("reviews:opinion", args=[first.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.content.decode().count("staged-outcome") == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
