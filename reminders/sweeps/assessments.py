"""Assessment-side reminders: the biennial assessment and rectification deadlines (assessments app)."""


from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Alliance
from assessments.models import AssessmentRound, AssessmentRules, Rectification
from assessments.selectors import ASSESSABLE, clock_cutoff, due_date, with_assessment_clock
from reviews.selectors import applicant_url

from .. import schedule
from ..models import Kind
from ..recipients import alliance_recipients
from . import register
from .base import DeadlineSweep, Subject, Text, days_word, link


@register
class AssessmentSweep(DeadlineSweep):
    """The biennial assessment (两年一次考核) falls due on the anniversary of designation (or of the last
    assessment): remind the secretariat and the chairman unit, copy to the liaison officer, 60, 30 and
    7 days ahead, then weekly until the bureau opens the assessment."""

    kind = Kind.ASSESSMENT
    subject_type = "alliances.alliance"
    lead_days_setting = "ASSESSMENT_LEAD_DAYS"

    @staticmethod
    def _cycle_years() -> int:
        return AssessmentRules.current().cycle_years

    def candidates(self, today):
        cycle = self._cycle_years()
        # Every clock that runs out by the furthest lead time: those due soon and all overdue ones.
        cutoff = clock_cutoff(self.latest_due(today), cycle)
        alliances = with_assessment_clock(Alliance.objects.filter(state__in=ASSESSABLE)).filter(clock_from__lt=cutoff)
        due = {}
        for pk, clock_from in alliances.values_list("pk", "clock_from").order_by().iterator(chunk_size=5000):
            due_on = due_date(timezone.localdate(clock_from), cycle)
            if stage := self.stage(due_on, today):
                due[pk] = (due_on, stage)
        if due:
            for alliance_id, user_id in alliance_recipients(alliances):
                if alliance_id in due:
                    yield self.candidate(alliance_id, *due[alliance_id], user_id)

    def still_due(self, reminders, today):
        cycle = self._cycle_years()
        rows = with_assessment_clock(
            Alliance.objects.filter(pk__in={r.subject_id for r in reminders}, state__in=ASSESSABLE)
        ).values_list("pk", "name", "clock_from")
        current = {pk: (name, due_date(timezone.localdate(clock), cycle)) for pk, name, clock in rows if clock}
        due = {}
        for reminder in reminders:
            name, due_on = current.get(reminder.subject_id, (None, None))
            if due_on == reminder.due_date:  # no assessment opened, no new designation since
                due[reminder.pk] = Subject(name, applicant_url(Alliance(pk=reminder.subject_id)))
        return due

    def message(self, reminder, subject, today):
        words = {"alliance": subject.name, **days_word(reminder.due_date, today)}
        if schedule.is_overdue(reminder.stage):
            title = _("%(alliance)s: biennial assessment overdue") % words
            body = _(
                "The biennial assessment of %(alliance)s was due on %(date)s and is %(days)s days overdue. "
                "Please prepare the self-assessment report and contact the science and technology bureau."
            ) % words
        else:
            title = _("%(alliance)s: biennial assessment due in %(days)s days") % words
            body = _(
                "The biennial assessment of %(alliance)s is due on %(date)s, in %(days)s days. Please prepare "
                "the self-assessment report: goals achieved against the work plan, projects, investment, "
                "outputs and activities of the period."
            ) % words
        return Text(title, body, subject.url)


class AllianceDeadlineSweep(DeadlineSweep):
    """A deadline of some record of an alliance (``subjects()``: rows with ``alliance_id`` and a date
    field ``due_field``), reminded to the alliance's secretariat and chairman unit with a copy to the
    liaison officer. ``extra_recipients`` may add people per subject (e.g. the ordering officer)."""

    due_field: str

    def subjects(self):
        raise NotImplementedError

    def extra_recipients(self, row: dict, stage: str) -> list[int]:
        return []

    def candidates(self, today):
        rows = self.subjects().filter(**{f"{self.due_field}__lte": self.latest_due(today)})
        by_alliance: dict[int, list] = {}
        for row in rows.values(*self.values).order_by().iterator(chunk_size=5000):
            due_date = row[self.due_field]
            if stage := self.stage(due_date, today):
                by_alliance.setdefault(row["alliance_id"], []).append((row["pk"], due_date, stage))
                for user_id in self.extra_recipients(row, stage):
                    yield self.candidate(row["pk"], due_date, stage, user_id)
        if by_alliance:
            alliances = Alliance.objects.filter(pk__in=rows.values("alliance_id"))
            for alliance_id, user_id in alliance_recipients(alliances):
                for pk, due_date, stage in by_alliance.get(alliance_id, ()):
                    yield self.candidate(pk, due_date, stage, user_id)

    @property
    def values(self) -> tuple[str, ...]:
        return ("pk", "alliance_id", self.due_field)

    def still_due(self, reminders, today):
        rows = self.subjects().filter(pk__in={r.subject_id for r in reminders}).values_list(
            "pk", self.due_field, "alliance__name"
        )
        current = {pk: (due_date, name) for pk, due_date, name in rows}
        due = {}
        for reminder in reminders:
            due_date, name = current.get(reminder.subject_id, (None, None))
            if due_date == reminder.due_date:  # a changed deadline is a new one
                due[reminder.pk] = Subject(name, link(self.view_name, reminder.subject_id))
        return due


@register
class RectificationSweep(AllianceDeadlineSweep):
    """A rectification (整顿) deadline approaching (30 and 7 days ahead) and passed (weekly) without a
    rectification report: the secretariat and the chairman unit, copy to the liaison officer; once
    passed, also the officer who ordered it."""

    kind = Kind.RECTIFICATION
    subject_type = "assessments.rectification"
    lead_days_setting = "RECTIFICATION_LEAD_DAYS"
    due_field = "deadline"
    view_name = "assessments:rectification"
    values = ("pk", "alliance_id", "deadline", "ordered_by_id", "ordered_by__is_active")

    def subjects(self):
        return Rectification.objects.filter(closed_at__isnull=True, reported_at__isnull=True)

    def extra_recipients(self, row, stage):
        if schedule.is_overdue(stage) and row["ordered_by_id"] and row["ordered_by__is_active"]:
            return [row["ordered_by_id"]]
        return []

    def message(self, reminder, subject, today):
        words = {"alliance": subject.name, **days_word(reminder.due_date, today)}
        if schedule.is_overdue(reminder.stage):
            title = _("%(alliance)s: rectification deadline passed") % words
            body = _(
                "The rectification deadline of %(alliance)s was %(date)s, %(days)s days ago, and no "
                "rectification report has been filed. Please file it without delay."
            ) % words
        else:
            title = _("%(alliance)s: rectification due in %(days)s days") % words
            body = _(
                "The rectification of %(alliance)s must be completed by %(date)s, in %(days)s days. Please file "
                "the rectification report on the required actions before then."
            ) % words
        return Text(title, body, subject.url)


@register
class SelfAssessmentSweep(AllianceDeadlineSweep):
    """The self-assessment report (自评报告) of an open assessment: due in 7 days, then weekly while
    overdue, until the alliance submits it: the secretariat and the chairman unit, copy to the liaison
    officer. (The biennial assessment's own reminders stop when the bureau opens it; this follows.)"""

    kind = Kind.SELF_ASSESSMENT
    subject_type = "assessments.assessmentround"
    lead_days_setting = "SELF_ASSESSMENT_LEAD_DAYS"
    due_field = "self_assessment_due"
    view_name = "assessments:self_assessment"

    def subjects(self):
        return AssessmentRound.objects.filter(status=AssessmentRound.Status.SELF_ASSESSMENT,
                                              self_assessment_due__isnull=False)

    def message(self, reminder, subject, today):
        words = {"alliance": subject.name, **days_word(reminder.due_date, today)}
        if schedule.is_overdue(reminder.stage):
            title = _("%(alliance)s: self-assessment report overdue") % words
            body = _(
                "The self-assessment report of %(alliance)s was due on %(date)s and is %(days)s days overdue. "
                "Please complete and submit it now."
            ) % words
        else:
            title = _("%(alliance)s: self-assessment report due in %(days)s days") % words
            body = _(
                "The self-assessment report of %(alliance)s is due on %(date)s, in %(days)s days. Please "
                "complete and submit it before then."
            ) % words
        return Text(title, body, subject.url)
