"""Review-side reminders: expert reviews due and overdue, public notices that have ended (reviews app)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from alliances.models import Alliance
from alliances.workflow import State
from reviews.models import ExpertAssignment, Objection, PublicNotice
from reviews.selectors import bureau_officers, expert_assignments_url, review_url

from .. import schedule
from ..models import Kind
from . import register
from .base import DeadlineSweep, Subject, Sweep, Text, days_word, long_date


@register
class ExpertReviewSweep(DeadlineSweep):
    """An expert review (专家评审) due in 3 days, then overdue weekly: to the expert; once overdue also to
    the officer who assigned it."""

    kind = Kind.EXPERT_REVIEW
    subject_type = "reviews.expertassignment"
    lead_days_setting = "EXPERT_REVIEW_LEAD_DAYS"

    @staticmethod
    def _open():
        return ExpertAssignment.objects.filter(status__in=ExpertAssignment.OPEN, alliance__state=State.EXPERT_REVIEW)

    def candidates(self, today):
        rows = (
            self._open().filter(due_date__lte=self.latest_due(today))
            .values_list("pk", "due_date", "expert__user_id", "expert__user__is_active", "assigned_by_id",
                         "assigned_by__is_active")
            .order_by()
        )
        for pk, due_date, expert_id, expert_active, officer_id, officer_active in rows.iterator(chunk_size=5000):
            if not (stage := self.stage(due_date, today)):
                continue
            if expert_active:
                yield self.candidate(pk, due_date, stage, expert_id)
            if schedule.is_overdue(stage) and officer_id and officer_active:
                yield self.candidate(pk, due_date, stage, officer_id)

    def still_due(self, reminders, today):
        rows = self._open().filter(pk__in={r.subject_id for r in reminders}).values_list(
            "pk", "due_date", "alliance_id", "alliance__name", "expert__user_id", "expert__user__full_name",
            "expert__user__username",
        )
        current = {row[0]: row[1:] for row in rows}
        due = {}
        for reminder in reminders:
            if reminder.subject_id not in current:
                continue
            due_date, alliance_id, name, expert_id, full_name, username = current[reminder.subject_id]
            if due_date != reminder.due_date:  # the deadline was moved: a new one
                continue
            for_expert = reminder.recipient_id == expert_id
            url = expert_assignments_url() if for_expert else review_url(Alliance(pk=alliance_id))
            due[reminder.pk] = Subject(name, url, {"for_expert": for_expert, "expert": full_name or username})
        return due

    def message(self, reminder, subject, today):
        words = {"alliance": subject.name, "expert": subject.detail["expert"], **days_word(reminder.due_date, today)}
        if not schedule.is_overdue(reminder.stage):
            title = _("Expert review of %(alliance)s due in %(days)s days") % words
            body = _(
                "Your review of the application of %(alliance)s is due on %(date)s, in %(days)s days. Please "
                "submit your scorecard before then, or tell the bureau if you cannot."
            ) % words
        elif subject.detail["for_expert"]:
            title = _("Expert review of %(alliance)s overdue") % words
            body = _(
                "Your review of the application of %(alliance)s was due on %(date)s and is %(days)s days "
                "overdue. Please submit your scorecard now, or tell the bureau if you cannot."
            ) % words
        else:
            title = _("Expert review overdue: %(expert)s on %(alliance)s") % words
            body = _(
                "The review of %(alliance)s by %(expert)s was due on %(date)s and is %(days)s days overdue. "
                "You may remind the expert or assign another one."
            ) % words
        return Text(title, body, subject.url)


@register
class PublicNoticeSweep(Sweep):
    """The public notice (公示) period has ended: tell the officer who published it (every bureau officer
    when nobody did) that the application is ready for designation. Once per notice."""

    kind = Kind.PUBLIC_NOTICE
    subject_type = "reviews.publicnotice"
    STAGE = "ended"

    @staticmethod
    def _running():
        return PublicNotice.objects.filter(closed_at__isnull=True, alliance__state=State.PUBLIC_NOTICE)

    def candidates(self, today):
        ended = self._running().filter(ends_on__lt=today)
        without_publisher = []
        for pk, ends_on, officer_id, officer_active in (
            ended.values_list("pk", "ends_on", "published_by_id", "published_by__is_active")
            .order_by().iterator(chunk_size=5000)
        ):
            if officer_id and officer_active:
                yield self.candidate(pk, ends_on, self.STAGE, officer_id)
            else:
                without_publisher.append((pk, ends_on))
        if without_publisher:
            officers = list(bureau_officers().values_list("pk", flat=True))
            for pk, ends_on in without_publisher:
                for officer_id in officers:
                    yield self.candidate(pk, ends_on, self.STAGE, officer_id)

    def still_due(self, reminders, today):
        rows = (
            self._running().filter(pk__in={r.subject_id for r in reminders})
            .annotate(open_objections=Count("objections", filter=Q(objections__status=Objection.Status.OPEN)))
            .values_list("pk", "ends_on", "alliance_id", "alliance__name", "open_objections")
        )
        current = {row[0]: row[1:] for row in rows}
        due = {}
        for reminder in reminders:
            ends_on, alliance_id, name, objections = current.get(reminder.subject_id, (None,) * 4)
            if ends_on == reminder.due_date:
                due[reminder.pk] = Subject(name, review_url(Alliance(pk=alliance_id)), {"objections": objections})
        return due

    def message(self, reminder, subject, today):
        words = {"alliance": subject.name, "date": long_date(reminder.due_date),
                 "objections": subject.detail["objections"]}
        title = _("%(alliance)s: public notice ended, ready for designation") % words
        body = _("The public notice of %(alliance)s ended on %(date)s. The application is ready for designation.") % words
        if words["objections"]:
            body += " " + _("%(objections)s objections are still open: resolve them before designation.") % words
        return Text(title, body, subject.url)
