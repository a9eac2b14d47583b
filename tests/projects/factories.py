"""Factories for projects: complete projects (budget adds up, milestones inside the dates) in any state."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from projects import periods, tally
from projects.models import (
    Activity,
    BudgetYear,
    DevelopmentPlan,
    Milestone,
    ProgressReport,
    Project,
    ProjectKind,
)
from projects.workflow import ProjectState
from tests.factories import AllianceFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    """A filed project of 2026–2027: 1,000 万元 in total (600 self-raised, 200 bank loans, 200 government)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    alliance = factory.SubFactory(AllianceFactory)
    title = factory.Sequence(lambda n: f"高性能陶瓷膜共性技术研发{n}")
    kind = ProjectKind.COMMON_RD
    sector = factory.LazyAttribute(lambda o: o.alliance.sector)
    lead_unit = factory.LazyAttribute(lambda o: o.alliance.chairman)
    objectives = "突破陶瓷膜低温烧结关键技术，形成中试线。"
    key_indicators = "膜通量≥800 L/(m²·h)；烧结温度≤1250℃。"
    planned_patents_applied = 6
    planned_patents_granted = 2
    planned_standards = 1
    planned_new_products = 2
    planned_technical_secrets = 1
    start_date = date(2026, 1, 1)
    end_date = date(2027, 12, 31)
    total_investment = Decimal("1000")
    government_funding_requested = Decimal("200")
    state = ProjectState.DRAFT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Written directly, and counted in the dashboard's project tally as the services count it."""
        project = super()._create(model_class, *args, **kwargs)
        tally.recount(keys=tally.keys_of(Project.objects.filter(pk=project.pk)))
        return project

    @factory.post_generation
    def budget(self, create, extracted, **kwargs):
        if not create:
            return
        rows = extracted if extracted is not None else [
            (2026, "300", "100", "100", "0"), (2027, "300", "100", "100", "0")]
        for year, self_raised, bank_loans, government, other in rows:
            BudgetYear.objects.create(project=self, year=year, self_raised=Decimal(self_raised),
                                      bank_loans=Decimal(bank_loans), government=Decimal(government),
                                      other=Decimal(other))

    @factory.post_generation
    def milestones(self, create, extracted, **kwargs):
        if not create:
            return
        rows = extracted if extracted is not None else [("完成小试", date(2026, 6, 30)), ("建成中试线", date(2027, 6, 30))]
        for title, due in rows:
            Milestone.objects.create(project=self, title=title, due_date=due)


def approved_project(*, approved_at=None, number=None, granted=Decimal("150"), state=ProjectState.APPROVED,
                     **kwargs) -> Project:
    """A project the bureau approved (立项), reporting quarterly, without any report yet."""
    project = ProjectFactory(state=state, **kwargs)
    project.approved_at = approved_at or timezone.make_aware(timezone.datetime(2026, 1, 10, 10, 0))
    project.approval_number = number or f"LM-TEST-{project.pk:04d}"
    project.granted_funding = granted
    remaining = periods.unreported_periods(project, [])
    project.next_report_due = remaining[0].due_date if remaining else None
    with tally.kept(Project.objects.filter(pk=project.pk)):
        project.save()
    return project


def report_for(project, *, period_start, started=True, completed=("0", "0", "0", "0"), used="0", outputs=None,
               investment_increase=None, is_late=False, **kwargs) -> ProgressReport:
    """A progress report row written directly (for read-side tests); services are tested separately."""
    period = periods.period_containing(period_start, project.report_period_months)
    self_raised, bank_loans, government, other = (Decimal(v) for v in completed)
    total = self_raised + bank_loans + government + other
    report = ProgressReport.objects.create(
        project=project, period_start=period.start, period_end=period.end, due_date=period.due_date,
        started=started, completed_self_raised=self_raised, completed_bank_loans=bank_loans,
        completed_government=government, completed_other=other, government_funds_used=Decimal(used),
        investment_increase=total if investment_increase is None else Decimal(investment_increase), is_late=is_late,
        **(outputs or {}), **kwargs)
    report.refresh_from_db()
    with tally.kept(Project.objects.filter(pk=project.pk)):
        project.save(update_fields=project.take_latest_report(report))
    return report


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    alliance = factory.SubFactory(AllianceFactory)
    date = date(2026, 5, 20)
    kind = Activity.Kind.TECHNOLOGY_EXCHANGE
    title = factory.Sequence(lambda n: f"先进陶瓷技术交流会{n}")
    participants = "联盟成员单位、山东理工大学"
    participant_count = 60
    outcome = "签订合作意向3项"


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    alliance = factory.SubFactory(AllianceFactory)
    kind = DevelopmentPlan.Kind.ANNUAL
    year = 2026
    title = factory.Sequence(lambda n: f"2026年度发展计划{n}")
    content = "一、年度目标 二、重点任务 三、保障措施"
