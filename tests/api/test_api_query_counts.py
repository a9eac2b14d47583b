"""Every list endpoint runs the same number of SQL queries at 10 and at 200 rows."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.middleware import IdleSessionMiddleware
from accounts.roles import Role
from alliances.models import Alliance, ApplicationVersion, Membership, Organisation, RDPlatform
from alliances.workflow import State
from assessments.models import AssessmentRound, LifecycleStage
from notifications.models import Notification
from projects.models import ChangeRequest
from reviews.models import Department, Designation, ExpertAssignment, ExpertProfile, JointReviewOpinion
from tests.factories import AllianceFactory, OrganisationFactory, UserFactory, member_user
from tests.projects.factories import ActivityFactory, approved_project, report_for

from .conftest import session_client, token_client

LISTS = [
    "/api/v1/sectors/", "/api/v1/districts/", "/api/v1/organisations/", "/api/v1/alliances/",
    "/api/v1/memberships/", "/api/v1/applications/", "/api/v1/notifications/", "/api/v1/reviews/assignments/",
    "/api/v1/reviews/opinions/", "/api/v1/designations/", "/api/v1/register/", "/api/v1/projects/",
    "/api/v1/progress-reports/", "/api/v1/change-requests/", "/api/v1/activities/", "/api/v1/assessments/",
    "/api/v1/lifecycle-stages/",
]
BUREAU_LISTS = ["/api/v1/reviews/applications/"]


def _grow(rows: int, officer, member, expert, department):
    """Add ``rows`` alliances, each with a member, a version, a designation, an expert assignment, an opinion,
    a project with a report and a change request, an activity, and notifications for both users."""
    for n in range(rows):
        chairman = member.organisation if n % 2 else OrganisationFactory()
        RDPlatform.objects.create(organisation=chairman, kind=RDPlatform.Kind.KEY_LAB, level=RDPlatform.Level.NATIONAL)
        alliance = AllianceFactory(chairman=chairman)
        Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT, current_version=1)
        Membership.objects.create(alliance=alliance, organisation=OrganisationFactory(kind=Organisation.Kind.INSTITUTE),
                                  status=Membership.Status.CONFIRMED)
        ApplicationVersion.objects.create(alliance=alliance, number=1, snapshot={"n": n})
        sequence = Designation.objects.count() + 1
        Designation.objects.create(alliance=alliance, level=Designation.Level.PILOT, year=2026, sequence=sequence,
                                   certificate_number=f"〔2026〕{sequence:03d}")
        ExpertAssignment.objects.create(alliance=alliance, expert=expert, version=1, due_date=date(2026, 3, 1))
        JointReviewOpinion.objects.create(alliance=alliance, version=1, department=department, opinion="agree")
        project = approved_project(alliance=alliance)
        report_for(project, period_start=date(2026, 1, 1), completed=("10", "0", "0", "0"))
        ChangeRequest.objects.create(project=project, kind=ChangeRequest.Kind.EXTENSION, justification="延期",
                                     proposed={"end_date": "2028-06-30"})
        ActivityFactory(alliance=alliance)
        AssessmentRound.objects.create(alliance=alliance, kind=AssessmentRound.Kind.BIENNIAL, opened_from=State.PILOT,
                                       status=AssessmentRound.Status.SELF_ASSESSMENT, period_start=date(2024, 1, 1),
                                       period_end=date(2025, 12, 31), self_assessment_due=date(2026, 3, 31))
        LifecycleStage.objects.create(alliance=alliance, stage=LifecycleStage.Stage.GROWTH, reason="成员增加")
        for user in (officer, member):
            Notification.objects.create(recipient=user, kind="test", title=f"通知{n}")


def _queries(client, url, rows=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200, (url, response.content)
    if rows is not None:
        rows.append(response.json()["count"])
    return len(queries)


def _counted(client, url) -> tuple[int, bool]:
    """Queries of the list request, and whether the user sees any row."""
    rows = []
    return _queries(client, url, rows), rows[0] > 0


def test_list_query_count_does_not_grow_with_rows(db, monkeypatch):
    # A session is renewed (three statements) at most once a minute; growing the data may take longer than
    # that on a busy machine, so the renewal is kept out of both measurements.
    monkeypatch.setattr(IdleSessionMiddleware, "REFRESH_SECONDS", 24 * 3600)
    officer = UserFactory(roles=[Role.OFFICER])
    member = member_user()
    expert = ExpertProfile.objects.create(user=UserFactory(roles=[Role.EXPERT]))
    department = Department.objects.create(code="test-dept", name="测试部门")
    clients = {"officer": session_client(officer), "member": session_client(member), "token": token_client(officer),
               "expert": session_client(expert.user)}

    def measure():
        counts = {(who, url): _counted(client, url) for who, client in clients.items() for url in LISTS}
        counts.update({("officer", url): _counted(clients["officer"], url) for url in BUREAU_LISTS})
        return counts

    _grow(10, officer, member, expert, department)
    small = measure()
    _grow(190, officer, member, expert, department)
    large = measure()
    assert {key: queries for key, (queries, _any) in large.items()} == {
        key: queries for key, (queries, _any) in small.items()}
    assert sum(any_rows for _queries, any_rows in large.values()) > len(large) / 2
