"""Project-side reminders: progress reports and annual development plans (projects app)."""

import calendar
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from alliances.models import Alliance
from alliances.workflow import DESIGNATED
from projects.models import DevelopmentPlan, Project
from projects.workflow import REPORTING
from reviews.models import Designation
from reviews.selectors import applicant_url

from .. import conf, schedule
from ..models import Kind
from ..recipients import CHAIRMAN, LIAISON, SECRETARIAT, alliance_recipients
from . import register
from .base import DeadlineSweep, Subject, Sweep, Text, days_word, link, long_date, start_of_day


@register
class ProgressReportSweep(DeadlineSweep):
    """A project's next progress report (进展报告) due soon, then overdue weekly: to the lead unit's users."""

    kind = Kind.PROGRESS_REPORT
    subject_type = "projects.project"
    lead_days_setting = "PROGRESS_REPORT_LEAD_DAYS"

    @staticmethod
    def _reporting():
        return Project.objects.filter(state__in=REPORTING, next_report_due__isnull=False)

    def candidates(self, today):
        rows = (
            self._reporting()
            .filter(next_report_due__lte=self.latest_due(today), lead_unit__users__is_active=True)
            .values_list("pk", "next_report_due", "lead_unit__users__pk")
            .order_by()
        )
        for pk, due_date, user_id in rows.iterator(chunk_size=5000):
            if stage := self.stage(due_date, today):
                yield self.candidate(pk, due_date, stage, user_id)

    def still_due(self, reminders, today):
        rows = self._reporting().filter(pk__in={r.subject_id for r in reminders}).values_list(
            "pk", "title", "next_report_due"
        )
        current = {pk: (title, due_date) for pk, title, due_date in rows}
        due = {}
        for reminder in reminders:
            title, due_date = current.get(reminder.subject_id, (None, None))
            if due_date == reminder.due_date:  # a filed report moves the next due date on
                pk = reminder.subject_id
                due[reminder.pk] = Subject(title, link("projects:detail", pk, fallback=f"/projects/{pk}/"))
        return due

    def message(self, reminder, subject, today):
        words = {"project": subject.name, **days_word(reminder.due_date, today)}
        if schedule.is_overdue(reminder.stage):
            title = _("%(project)s: progress report overdue") % words
            body = _(
                "The progress report of the project %(project)s was due on %(date)s and is %(days)s days "
                "overdue. Please file it now."
            ) % words
        else:
            title = _("%(project)s: progress report due in %(days)s days") % words
            body = _(
                "The progress report of the project %(project)s is due on %(date)s, in %(days)s days: "
                "investment completed, outputs and problems of the period."
            ) % words
        return Text(title, body, subject.url)


@register
class AnnualPlanSweep(Sweep):
    """The annual development plan (年度发展计划) of the year: due in January (to the chairman unit and the
    secretariat), missing from March (copy to the liaison officer). For alliances designated before the
    year began."""

    kind = Kind.ANNUAL_PLAN
    subject_type = "alliances.alliance"
    DUE, MISSING = "due", "missing"

    @staticmethod
    def due_date(year: int) -> date:
        month = int(conf.get("ANNUAL_PLAN_DUE_MONTH"))
        return date(year, month, calendar.monthrange(year, month)[1])

    def stage(self, today: date) -> str | None:
        if today.month >= int(conf.get("ANNUAL_PLAN_MISSING_MONTH")):
            return self.MISSING
        if today.month >= int(conf.get("ANNUAL_PLAN_DUE_MONTH")):
            return self.DUE
        return None

    @staticmethod
    def _without_plan(year: int):
        designated_before = Designation.objects.filter(
            alliance=OuterRef("pk"), revoked_at__isnull=True, designated_at__lt=start_of_day(date(year, 1, 1))
        )
        plan = DevelopmentPlan.objects.filter(alliance=OuterRef("pk"), kind=DevelopmentPlan.Kind.ANNUAL, year=year)
        return Alliance.objects.filter(state__in=DESIGNATED).filter(Exists(designated_before)).exclude(Exists(plan))

    def candidates(self, today):
        if not (stage := self.stage(today)):
            return
        due_date = self.due_date(today.year)
        routes = (CHAIRMAN, SECRETARIAT, LIAISON) if stage == self.MISSING else (CHAIRMAN, SECRETARIAT)
        for alliance_id, user_id in alliance_recipients(self._without_plan(today.year), routes):
            yield self.candidate(alliance_id, due_date, stage, user_id)

    def still_due(self, reminders, today):
        due = {}
        for year in {r.due_date.year for r in reminders}:
            names = dict(self._without_plan(year).filter(
                pk__in={r.subject_id for r in reminders if r.due_date.year == year}
            ).values_list("pk", "name"))
            for reminder in reminders:
                if reminder.due_date.year == year and reminder.subject_id in names:
                    pk = reminder.subject_id
                    url = link("projects:plans", pk, fallback=applicant_url(Alliance(pk=pk)))
                    due[reminder.pk] = Subject(names[pk], url)
        return due

    def message(self, reminder, subject, today):
        words = {"alliance": subject.name, "year": reminder.due_date.year, "date": long_date(reminder.due_date)}
        if reminder.stage == self.MISSING:
            title = _("%(alliance)s: annual development plan for %(year)s missing") % words
            body = _(
                "The annual development plan of %(alliance)s for %(year)s was due by %(date)s and has not been "
                "filed. Please file it now."
            ) % words
        else:
            title = _("%(alliance)s: annual development plan for %(year)s due") % words
            body = _(
                "Please file the annual development plan of %(alliance)s for %(year)s by %(date)s: goals, "
                "tasks, projects and activities planned for the year."
            ) % words
        return Text(title, body, subject.url)
