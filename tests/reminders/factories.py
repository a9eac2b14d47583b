"""Subjects of reminders, built straight from the models (the sweeps only read them): one at a time,
or by the thousand for the query-count tests and the benchmark."""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from accounts.models import User
from accounts.roles import Role
from alliances.models import Alliance, Membership, Organisation
from alliances.workflow import State
from assessments.models import AssessmentRound, Rectification
from projects.models import DevelopmentPlan
from projects.workflow import ProjectState
from reviews.models import Designation, ExpertAssignment, ExpertProfile, PublicNotice, Supervision
from tests.factories import (
    AllianceFactory,
    OrganisationFactory,
    SectorFactory,
    UserFactory,
    confirmed_member,
    district,
    member_user,
)
from tests.projects.factories import ProjectFactory

from .conftest import beijing

_certificates = itertools.count(1)


def returned_application(returned_at: datetime, *, users: int = 1) -> tuple[Alliance, list[User]]:
    """An application returned for revision at ``returned_at`` and the chairman unit's users."""
    alliance = AllianceFactory(state=State.RETURNED, state_changed_at=returned_at)
    applicants = [member_user(organisation=alliance.chairman) for _ in range(users)]
    return alliance, applicants


@dataclass
class People:
    """Who belongs to an alliance, by the route a reminder takes to them."""

    alliance: Alliance
    chairman: User
    secretariat: User | None = None
    liaison: User | None = None
    others: list[User] = field(default_factory=list)  # ordinary members: never reminded

    @property
    def alliance_side(self) -> set[User]:
        return {u for u in (self.chairman, self.secretariat) if u}

    @property
    def everyone(self) -> set[User]:
        return self.alliance_side | ({self.liaison} if self.liaison else set())


def designated_alliance(designated_on: date, *, state=State.PILOT, secretariat=True, liaison=True) -> People:
    """A designated alliance with a chairman-unit user, a secretariat-unit user, an ordinary member's
    user and a liaison officer."""
    alliance = AllianceFactory(state=state)
    number = next(_certificates)
    Designation.objects.create(alliance=alliance, level=Designation.Level.PILOT, year=designated_on.year,
                               sequence=number, certificate_number=f"〔T〕{number:05d}",
                               designated_at=beijing(designated_on))
    people = People(alliance, member_user(organisation=alliance.chairman, full_name="理事长单位 张伟"))
    if secretariat:
        office = confirmed_member(alliance, role=Membership.Role.SECRETARIAT, is_core=False)
        people.secretariat = member_user(organisation=office.organisation, full_name="秘书处 王芳")
    people.others.append(member_user(organisation=confirmed_member(alliance).organisation))
    if liaison:
        people.liaison = UserFactory(roles=[Role.LIAISON], full_name="科技联络员 赵敏")
        Supervision.objects.create(alliance=alliance, liaison_officer=people.liaison)
    return people


def rectification(deadline: date, *, ordered_by: User | None = None) -> tuple[People, Rectification]:
    people = designated_alliance(date(2024, 3, 2), state=State.RECTIFICATION)
    assessment = AssessmentRound.objects.create(
        alliance=people.alliance, kind=AssessmentRound.Kind.BIENNIAL, status=AssessmentRound.Status.DECIDED,
        opened_from=State.PILOT, period_start=date(2024, 3, 2), period_end=date(2026, 3, 2),
        outcome=AssessmentRound.Outcome.RECTIFICATION,
    )
    return people, Rectification.objects.create(
        round=assessment, alliance=people.alliance, required_actions="补充研发投入；召开理事会。", deadline=deadline,
        ordered_by=ordered_by,
    )


def expert_assignment(due_date: date, *, assigned_by: User | None = None,
                      status=ExpertAssignment.Status.ACCEPTED) -> ExpertAssignment:
    alliance = AllianceFactory(state=State.EXPERT_REVIEW)
    expert = ExpertProfile.objects.create(user=UserFactory(roles=[Role.EXPERT], full_name="陈教授"), title="教授")
    return ExpertAssignment.objects.create(alliance=alliance, expert=expert, version=1, status=status,
                                           due_date=due_date, assigned_by=assigned_by)


def public_notice(ends_on: date, *, published_by: User | None = None) -> PublicNotice:
    alliance = AllianceFactory(state=State.PUBLIC_NOTICE)
    return PublicNotice.objects.create(alliance=alliance, version=1, starts_on=ends_on - timedelta(days=8),
                                       ends_on=ends_on, published_by=published_by)


def reporting_project(next_report_due: date, *, lead_users: int = 1, state=ProjectState.IN_PROGRESS):
    project = ProjectFactory(state=state, next_report_due=next_report_due)
    users = [member_user(organisation=project.lead_unit) for _ in range(lead_users)]
    return project, users


def annual_plan(alliance: Alliance, year: int) -> DevelopmentPlan:
    return DevelopmentPlan.objects.create(alliance=alliance, kind=DevelopmentPlan.Kind.ANNUAL, year=year,
                                          title=f"{year}年度发展计划", content="年度目标、任务与活动安排。")


def returned_applications_in_bulk(count: int, returned_at: datetime) -> list[Alliance]:
    """``count`` returned applications, each with one applicant user, in a handful of INSERTs."""
    sector = SectorFactory()
    zhangdian = district()
    base = Organisation.objects.count()
    stub = OrganisationFactory.build()
    organisations = Organisation.objects.bulk_create([
        Organisation(name=f"批量测试企业{base + n}", kind=Organisation.Kind.ENTERPRISE,
                     credit_code=f"{base + n:018d}", address=stub.address, district=zhangdian,
                     contact_person=stub.contact_person, phone=stub.phone, email=f"bulk{base + n}@example.cn",
                     verification=Organisation.Verification.VERIFIED)
        for n in range(count)
    ])
    User.objects.bulk_create([
        User(username=f"bulk-applicant-{base + n}", email=f"applicant{base + n}@example.cn", organisation=org,
             is_org_admin=True)
        for n, org in enumerate(organisations)
    ])
    return Alliance.objects.bulk_create([
        Alliance(name=f"批量测试联盟{base + n}", sector=sector, chairman=org, state=State.RETURNED,
                 state_changed_at=returned_at)
        for n, org in enumerate(organisations)
    ])


def designated_alliances_in_bulk(count: int, designated_on: date) -> list[Alliance]:
    """``count`` pilot alliances designated on ``designated_on``, each with a chairman-unit user, a
    secretariat unit with a user and a liaison officer, in a handful of INSERTs."""
    sector = SectorFactory()
    zhangdian = district()
    base = Organisation.objects.count()
    stub = OrganisationFactory.build()
    organisations = Organisation.objects.bulk_create([
        Organisation(name=f"批量测试单位{base + n}", kind=Organisation.Kind.ENTERPRISE, credit_code=f"D{base + n:017d}",
                     address=stub.address, district=zhangdian, contact_person=stub.contact_person, phone=stub.phone,
                     email=f"unit{base + n}@example.cn", verification=Organisation.Verification.VERIFIED)
        for n in range(2 * count)
    ])
    User.objects.bulk_create([
        User(username=f"bulk-unit-{base + n}", email=f"unit{base + n}@example.cn", organisation=org)
        for n, org in enumerate(organisations)
    ])
    liaisons = User.objects.bulk_create([
        User(username=f"bulk-liaison-{base + n}", email=f"liaison{base + n}@example.cn") for n in range(count)
    ])
    alliances = Alliance.objects.bulk_create([
        Alliance(name=f"批量试点联盟{base + n}", sector=sector, chairman=organisations[2 * n], state=State.PILOT)
        for n in range(count)
    ])
    Membership.objects.bulk_create([
        Membership(alliance=alliance, organisation=organisations[2 * n + 1], role=Membership.Role.SECRETARIAT,
                   status=Membership.Status.CONFIRMED)
        for n, alliance in enumerate(alliances)
    ])
    Supervision.objects.bulk_create([
        Supervision(alliance=alliance, liaison_officer=liaison) for alliance, liaison in zip(alliances, liaisons, strict=True)
    ])
    Designation.objects.bulk_create([
        Designation(alliance=alliance, level=Designation.Level.PILOT, year=designated_on.year,
                    sequence=10_000 + base + n, certificate_number=f"〔B〕{base + n:06d}",
                    designated_at=beijing(designated_on))
        for n, alliance in enumerate(alliances)
    ])
    return alliances
