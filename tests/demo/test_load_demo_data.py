"""manage.py load_demo_data: a realistic demo whose applications went through the services."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from accounts.roles import Role
from alliances import credit_code
from alliances.models import (
    Alliance,
    AllianceAgreement,
    ApplicationVersion,
    Membership,
    Organisation,
    StateTransition,
    WorkPlan,
)
from alliances.workflow import DESIGNATED, State
from assessments.models import HealthScore
from demo.people import DEMO_PASSWORD
from notifications.models import Notification
from projects.models import ActivityAttachment
from reviews.models import Designation, PublicNotice, Scorecard
from tests.factories import OrganisationFactory

# Transactional: the stories' notifications are created when each service's transaction commits.
# Serialized rollback restores the reference data that migrations load after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _load(*args) -> str:
    out = StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


def test_load_demo_data_builds_the_zibo_demo_once(rf):
    output = _load()

    assert 280 <= Organisation.objects.count() <= 320
    assert all(credit_code.is_valid(code) for code in Organisation.objects.values_list("credit_code", flat=True))
    assert Organisation.objects.filter(name="山东理工大学", kind=Organisation.Kind.UNIVERSITY).exists()
    assert Organisation.objects.filter(verification=Organisation.Verification.PENDING).count() == 3
    assert Alliance.objects.count() == 21
    assert set(Alliance.objects.values_list("sector__code", flat=True)) == {
        "next-gen-it", "energy-environment", "new-materials", "biomedicine", "high-end-equipment"}
    states = set(Alliance.objects.values_list("state", flat=True))
    assert states == {State.DRAFT, State.SUBMITTED, State.SCREENING, State.RETURNED, State.RESUBMITTED,
                      State.EXPERT_REVIEW, State.JOINT_REVIEW, State.PUBLIC_NOTICE, State.PILOT, State.REJECTED,
                      State.ASSESSMENT, State.DEMONSTRATION, State.RECTIFICATION, State.REVOKED}

    # every state change left its record: each non-draft application has a timeline starting with "submit"
    for alliance in Alliance.objects.exclude(state=State.DRAFT):
        actions = list(StateTransition.objects.filter(alliance=alliance).order_by("at", "pk")
                       .values_list("action", flat=True))
        assert actions[0] == "submit", alliance.name
        assert StateTransition.objects.filter(alliance=alliance).order_by("-at", "-pk").first().target == alliance.state
    # last year's six pilots: five still designated (one of them promoted to demonstration), one revoked
    designated = Alliance.objects.filter(state__in=DESIGNATED)
    assert designated.count() == 5
    assert Designation.objects.filter(alliance__in=designated, revoked_at__isnull=True, level="pilot").count() == 5
    assert Designation.objects.filter(revoked_at__isnull=True, level="demonstration").count() == 1
    assert Designation.objects.filter(alliance__state=State.REVOKED, revoked_at__isnull=False).count() == 1
    assert ApplicationVersion.objects.filter(alliance__state=State.RESUBMITTED, number=2).exists()
    revised = WorkPlan.objects.get(alliance__state=State.RESUBMITTED)
    assert revised.main_goals.startswith("围绕")  # the revision added to the plan, it did not replace it
    assert "已按修改意见" in revised.main_goals
    assert PublicNotice.objects.get(alliance__state=State.PUBLIC_NOTICE).is_running()
    assert Scorecard.objects.filter(submitted_at__isnull=False).exists()
    assert AllianceAgreement.objects.filter(alliance__state__in=DESIGNATED | {State.REVOKED}).count() == 6
    agreement = AllianceAgreement.objects.first()
    with agreement.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    # the showcase pilot's activity has its photo, sign-in sheet and minutes; its stage rates the six dimensions
    showcase = User.objects.get(username="member").organisation.chaired_alliances.get()
    assert sorted(ActivityAttachment.objects.filter(activity__alliance=showcase).values_list("kind", flat=True)) == [
        "minutes", "photo", "sign_in_sheet"]
    assert HealthScore.objects.filter(stage__alliance=showcase).count() == 6
    # only a draft still waits for invitations to be answered
    assert set(Membership.objects.filter(status=Membership.Status.INVITED).values_list("alliance__state", flat=True)) \
        == {State.DRAFT}
    assert Notification.objects.filter(read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=False).exists()

    # the login table names every role, and every demo login works with the one password
    for role in Role:
        assert str(role.label) in output, role
        assert User.objects.filter(groups__name=role.value).exists(), role
    assert f"password: {DEMO_PASSWORD}" in output
    # the counts after designation name every state a project, a report and an assessment can be in
    after = output[output.index("After designation:"):output.index("Role ")]
    assert "projects: acceptance 1, approved 1, draft 1, failed 1, in_progress 6, passed 3, rejected 1, " \
           "returned 1, submitted 1, terminated 2" in after
    assert "progress reports: on time " in after
    assert "change requests: approved 1, pending 1, refused 1" in after
    assert "assessments: decided 5, expert_scoring 1, self_assessment 1" in after
    assert "assessment outcomes: demonstration 1, pilot_kept 1, rectification 2, revoked 1" in after
    assert "rectifications: under way 1, closed 1" in after
    for username in ["admin", "officer", "member", "member_draft", "expert", "dept_kj", "dept_fg", "dept_gx",
                     "district", "liaison", "sdut", "newunit"]:
        assert authenticate(rf.post("/accounts/login/"), username=username, password=DEMO_PASSWORD), username
    assert User.objects.get(username="district").district.name == "张店区"  # scoped to the district it reviews
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff

    counts = (Organisation.objects.count(), Alliance.objects.count(), User.objects.count(),
              StateTransition.objects.count(), Notification.objects.count())
    again = _load()
    assert "already loaded" in again
    assert after in again  # the same counts: nothing was added
    assert (Organisation.objects.count(), Alliance.objects.count(), User.objects.count(),
            StateTransition.objects.count(), Notification.objects.count()) == counts


def test_load_demo_data_if_empty_leaves_existing_data_alone():
    OrganisationFactory(name="淄博已有单位有限公司")

    output = _load("--if-empty")

    assert "not loaded" in output
    assert list(Organisation.objects.values_list("name", flat=True)) == ["淄博已有单位有限公司"]
    assert not Alliance.objects.exists()
    assert not User.objects.filter(username="officer").exists()


def test_load_demo_data_refuses_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        _load()

    assert not Organisation.objects.exists()
