"""A generated city for dashboard tests: sectors, districts, alliances in every state, shared member
units, designations (some revoked), life-cycle stages, projects with reports, activities, assessments.

Deterministic (seeded) and small enough to recompute every aggregate by hand in Python.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from alliances import tally as member_tally
from alliances.models import Alliance, District, Membership, Organisation, Sector
from alliances.workflow import State
from assessments.models import AssessmentRound, LifecycleStage
from projects import tally
from projects.models import Activity, Project, ProjectKind
from projects.workflow import ProjectState
from reviews.models import Designation
from tests.factories import AllianceFactory, OrganisationFactory, UserFactory
from tests.projects.factories import ActivityFactory, ProjectFactory, report_for


def aware(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def make_city(*, alliances: int = 14, seed: int = 7, today: date | None = None) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    sectors = [Sector.objects.get_or_create(code=code, defaults={"name": name, "position": i})[0]
               for i, (code, name) in enumerate([("dash-materials", "新材料测试"), ("dash-bio", "生物医药测试"),
                                                 ("dash-equipment", "高端装备测试")])]
    districts = list(District.objects.order_by("code")[:3])
    units = [OrganisationFactory(kind=rng.choice(list(Organisation.Kind.values)), district=rng.choice(districts),
                                 created_at=aware(date(rng.choice([2023, 2024, 2025, 2026]), rng.randint(1, 12), 15)))
             for _ in range(24)]
    states = list(State.values)
    counter = Designation.objects.count()  # certificate sequences stay unique when called twice
    created = []
    for n in range(alliances):
        chairman = OrganisationFactory(kind=Organisation.Kind.ENTERPRISE, district=rng.choice(districts),
                                       created_at=aware(date(2023, 1, 5)))
        alliance = AllianceFactory(chairman=chairman, sector=rng.choice(sectors), name=f"测试联盟{n}")
        state = states[n % len(states)] if n < len(states) else rng.choice(states)
        created_at = aware(date(rng.choice([2024, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28)))
        Alliance.objects.filter(pk=alliance.pk).update(state=state, created_at=created_at, current_version=1)
        alliance.refresh_from_db()
        created.append(alliance)
        for unit in rng.sample(units, 4):  # units shared between alliances are counted once
            Membership.objects.create(
                alliance=alliance, organisation=unit,
                role=rng.choice([Membership.Role.MEMBER, Membership.Role.TECHNICAL_SUPPORT,
                                 Membership.Role.VICE_CHAIRMAN]),
                status=rng.choice([Membership.Status.CONFIRMED, Membership.Status.CONFIRMED,
                                   Membership.Status.INVITED, Membership.Status.LEFT]))
        if state in (State.PILOT, State.ASSESSMENT, State.DEMONSTRATION, State.RECTIFICATION, State.REASSESSMENT,
                     State.REVOKED) or rng.random() < 0.2:
            for level in ([Designation.Level.PILOT, Designation.Level.DEMONSTRATION]
                          if state == State.DEMONSTRATION else [Designation.Level.PILOT]):
                counter += 1
                day = date(rng.choice([2024, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28))
                Designation.objects.create(
                    alliance=alliance, level=level, year=day.year, sequence=counter,
                    certificate_number=f"〔{day.year}〕{counter:03d}", designated_at=aware(day),
                    revoked_at=aware(day + timedelta(days=30)) if state == State.REVOKED else None)
        for k in range(rng.randint(0, 3)):
            LifecycleStage.objects.create(alliance=alliance, stage=rng.choice(list(LifecycleStage.Stage.values)),
                                          reason="测试", set_at=aware(date(2025, 1, 1) + timedelta(days=40 * k)))
        if state in (State.ASSESSMENT, State.PILOT) and rng.random() < 0.7:
            opened = aware(today - timedelta(days=rng.randint(10, 400)))
            AssessmentRound.objects.create(
                alliance=alliance, kind=AssessmentRound.Kind.BIENNIAL, opened_from=State.PILOT,
                status=rng.choice([AssessmentRound.Status.SELF_ASSESSMENT, AssessmentRound.Status.EXPERT_SCORING]),
                period_start=date(2024, 1, 1), period_end=date(2025, 12, 31), opened_at=opened,
                self_assessment_due=today + timedelta(days=rng.choice([-20, -1, 5, 30])))
        for _ in range(rng.randint(0, 3)):
            _project(rng, alliance, sectors, units, today)
        for _ in range(rng.randint(0, 3)):
            ActivityFactory(alliance=alliance, date=date(rng.choice([2025, 2026, today.year]), rng.randint(1, 12),
                                                         rng.randint(1, 28)),
                            kind=rng.choice(list(Activity.Kind.values)))
    officer = UserFactory(roles=[Role.OFFICER], full_name="调度 王科长")
    member_tally.rebuild()  # the memberships above went in around the services
    return {"sectors": sectors, "districts": districts, "alliances": created, "units": units, "officer": officer,
            "today": today}


def _project(rng, alliance, sectors, units, today):
    state = rng.choice(list(ProjectState.values))
    start = today - timedelta(days=rng.randint(-30, 500))
    project = ProjectFactory(
        alliance=alliance, sector=rng.choice(sectors), lead_unit=rng.choice([alliance.chairman, *units[:6]]),
        kind=rng.choice(list(ProjectKind.values)), state=state, start_date=start,
        end_date=start + timedelta(days=rng.choice([200, 400, 700])),
        total_investment=Decimal(rng.randint(100, 3000)) + Decimal("0.2500"),
        created_at=aware(start - timedelta(days=60)),
    )
    if state in (ProjectState.APPROVED, ProjectState.IN_PROGRESS, ProjectState.ACCEPTANCE, ProjectState.PASSED,
                 ProjectState.FAILED, ProjectState.TERMINATED):
        approved = start - timedelta(days=rng.randint(5, 40))
        project.approved_at = aware(approved)
        project.submitted_at = aware(approved - timedelta(days=10))
        project.approval_number = f"LM-DASH-{project.pk:04d}"
        project.granted_funding = Decimal("100")
        project.next_report_due = today + timedelta(days=rng.choice([-15, 20, 60]))
        with tally.kept(Project.objects.filter(pk=project.pk)):
            project.save()
        previous = Decimal("0")
        for q in range(rng.randint(0, 3)):
            completed = previous + Decimal(rng.randint(0, 200))
            report_for(project, period_start=project.start_date + timedelta(days=92 * q),
                       started=rng.random() < 0.8, completed=(str(completed), "0", "0", "0"),
                       investment_increase=str(completed - previous), is_late=rng.random() < 0.3,
                       outputs={"patents_applied": rng.randint(0, 5), "patents_granted": rng.randint(0, 2),
                                "standards": rng.randint(0, 1), "new_products": rng.randint(0, 2)})
            previous = completed
    elif state != ProjectState.DRAFT:
        project.submitted_at = aware(start - timedelta(days=30))
        with tally.kept(Project.objects.filter(pk=project.pk)):
            project.save()
    return project
