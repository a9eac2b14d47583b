"""Reviewers are warned when an application looks like an existing alliance: same sector and a similar name,
or at least half of its confirmed member units in common."""

import pytest
from django.urls import reverse

from alliances import selectors
from alliances.models import Alliance, Membership
from alliances.workflow import State
from tests.factories import AllianceFactory, SectorFactory, confirmed_member, member_user

pytestmark = pytest.mark.django_db


def existing(name, state=State.PILOT, **kwargs):
    alliance = AllianceFactory(name=name, **kwargs)
    Alliance.objects.filter(pk=alliance.pk).update(state=state)
    return alliance


@pytest.mark.parametrize(("first", "second"), [
    ("淄博市先进陶瓷产业技术创新战略联盟", "淄博先进陶瓷产业技术创新战略联盟"),
    ("淄博市先进陶瓷产业技术创新战略联盟", "山东省淄博市先进陶瓷产业联盟"),
    ("淄博市先进陶瓷材料产业技术创新战略联盟", "淄博市先进陶瓷新材料产业技术创新战略联盟"),
])
def test_names_that_differ_only_in_prefix_and_suffix_are_similar(first, second):
    assert selectors.name_similarity(first, second) >= selectors.NAME_SIMILARITY


@pytest.mark.parametrize(("first", "second"), [
    ("淄博市先进陶瓷产业技术创新战略联盟", "淄博市生物医药产业技术创新战略联盟"),
    ("淄博市新能源汽车产业技术创新战略联盟", "淄博市新材料产业技术创新战略联盟"),
])
def test_different_fields_are_not_similar(first, second):
    assert selectors.name_similarity(first, second) < selectors.NAME_SIMILARITY


def test_normalise_name_keeps_the_distinctive_part():
    assert selectors.normalise_name("淄博市 先进陶瓷产业技术创新战略联盟") == "先进陶瓷"


def test_same_sector_and_similar_name_is_a_possible_duplicate(sector):
    old = existing("淄博市先进陶瓷产业技术创新战略联盟", sector=sector)
    new = AllianceFactory(name="淄博先进陶瓷产业联盟", sector=sector)
    [duplicate] = selectors.possible_duplicates(new)
    assert duplicate.alliance == old
    assert duplicate.name_similarity == 1.0


def test_similar_name_in_another_sector_is_not_a_duplicate(sector):
    existing("淄博市先进陶瓷产业技术创新战略联盟",
             sector=SectorFactory(code="high-end-equipment", name="高端装备制造"))
    new = AllianceFactory(name="淄博先进陶瓷产业联盟", sector=sector)
    assert selectors.possible_duplicates(new) == []


def test_drafts_and_closed_applications_are_not_existing_alliances(sector):
    existing("淄博市先进陶瓷产业技术创新战略联盟", state=State.DRAFT, sector=sector)
    existing("淄博市先进陶瓷产业技术创新战略联盟", state=State.WITHDRAWN, sector=sector)
    new = AllianceFactory(name="淄博先进陶瓷产业联盟", sector=sector)
    assert selectors.possible_duplicates(new) == []


def test_large_member_overlap_is_a_possible_duplicate(sector):
    old = existing("淄博市智能制造产业技术创新战略联盟", sector=sector)
    new = AllianceFactory(name="鲁中高端轴承协同创新联盟", sector=SectorFactory(code="x", name="高端装备"))
    shared = [confirmed_member(old).organisation for _ in range(2)]
    for organisation in shared:
        Membership.objects.create(alliance=new, organisation=organisation, status=Membership.Status.CONFIRMED)
    confirmed_member(new)
    # new has 4 confirmed members (chairman, 2 shared, 1 own): 2 of 4 = 50 %
    [duplicate] = selectors.possible_duplicates(new)
    assert duplicate.alliance == old
    assert (duplicate.shared_members, duplicate.member_count, duplicate.name_similarity) == (2, 4, None)


def test_small_member_overlap_is_not_a_duplicate(sector):
    old = existing("淄博市智能制造产业技术创新战略联盟", sector=sector)
    new = AllianceFactory(name="鲁中高端轴承协同创新联盟", sector=SectorFactory(code="x", name="高端装备"))
    Membership.objects.create(alliance=new, organisation=confirmed_member(old).organisation,
                              status=Membership.Status.CONFIRMED)
    Membership.objects.create(alliance=new, organisation=confirmed_member(old).organisation,
                              status=Membership.Status.INVITED)  # invited ones do not count
    for _ in range(2):
        confirmed_member(new)
    assert selectors.possible_duplicates(new) == []


def test_duplicate_check_queries_are_bounded(sector, django_assert_num_queries):
    new = AllianceFactory(name="淄博先进陶瓷产业联盟", sector=sector)
    for index in range(12):
        existing(f"淄博市先进陶瓷{index}产业技术创新战略联盟", sector=sector)
    with django_assert_num_queries(4):
        found = selectors.possible_duplicates(new)
    assert len(found) == 12


def test_bureau_sees_the_warning_on_the_detail_page(client, officer, sector):
    old = existing("淄博市先进陶瓷产业技术创新战略联盟", sector=sector)
    new = AllianceFactory(name="淄博先进陶瓷产业联盟", sector=sector)
    client.force_login(officer)
    page = client.get(reverse("alliances:detail", args=[new.pk])).content.decode()
    assert 'id="duplicate-warning"' in page
    assert old.name in page
    assert "same sector and a similar name (100 % alike)" in page


def test_applicant_does_not_see_the_warning(client, member, sector):
    existing("淄博市先进陶瓷产业技术创新战略联盟", sector=sector)
    new = AllianceFactory(name="淄博先进陶瓷产业联盟", sector=sector, chairman=member.organisation)
    client.force_login(member)
    page = client.get(reverse("alliances:detail", args=[new.pk])).content.decode()
    assert 'id="duplicate-warning"' not in page


def test_the_same_chairman_unit_in_the_same_sector_is_a_possible_duplicate():
    first = existing("淄博市先进陶瓷产业技术创新战略联盟")
    other = AllianceFactory(name="淄博市稀土功能材料产业联盟", sector=first.sector, chairman=first.chairman)
    [found] = selectors.possible_duplicates(other)
    assert (found.alliance, found.same_chairman, found.name_similarity) == (first, True, None)


def test_the_applicant_is_warned_of_designated_alliances_only(client):
    """Issue 20, point 2: at creation and before submitting, the applicant is told which designated alliance
    theirs may duplicate; another organisation's application under review is never named to them."""
    pilot = existing("淄博市先进陶瓷产业技术创新战略联盟")
    under_review = existing("淄博市先进陶瓷产业联盟", state=State.JOINT_REVIEW, sector=pilot.sector)
    applicant = member_user()
    draft = AllianceFactory(name="淄博先进陶瓷产业技术创新战略联盟", sector=pilot.sector, chairman=applicant.organisation)
    Alliance.objects.filter(pk=draft.pk).update(state=State.DRAFT)
    client.force_login(applicant)
    page = client.get(reverse("alliances:step", args=[draft.pk, 6]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="duplicate-warning"' in page
    assert pilot.name in page
    assert under_review.name not in page


def test_the_warning_follows_the_application_through_the_review(client, officer):
    """Issue 20, point 2: screening and the joint review see it, and a proposal that carries it needs a reason."""
    from alliance_portal.core.errors import WorkflowError
    from reviews import batches
    from reviews.models import StagedOutcome
    from tests.reviews.batch_fixtures import batch_call, in_joint_review
    from tests.reviews.conftest import make_department_reviewer

    pilot = existing("淄博市先进陶瓷产业技术创新战略联盟")
    application = in_joint_review(batch_call(), "淄博先进陶瓷产业技术创新战略联盟")
    Alliance.objects.filter(pk=application.pk).update(sector=pilot.sector)
    application.refresh_from_db()

    client.force_login(make_department_reviewer("development-reform", "发改委审核人"))
    page = client.get(reverse("reviews:opinion", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="duplicate-warning"' in page
    assert pilot.name in page
    client.force_login(officer)
    page = client.get(reverse("reviews:application", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="duplicate-warning"' in page
    with pytest.raises(WorkflowError, match=pilot.name):
        batches.stage_outcome(application, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, by=officer)
    staged = batches.stage_outcome(application, outcome=StagedOutcome.Outcome.PROPOSED_PILOT,
                                   reason="技术方向不同：本联盟面向结构陶瓷。", by=officer)
    assert staged.reason == "技术方向不同：本联盟面向结构陶瓷。"
