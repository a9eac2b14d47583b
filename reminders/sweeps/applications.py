"""Application-side reminders: a returned application that has not come back."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Alliance
from alliances.workflow import State
from reviews.selectors import applicant_url

from .. import conf
from ..models import Kind
from . import register
from .base import Subject, Sweep, Text, long_date, start_of_day


@register
class ResubmissionSweep(Sweep):
    """Returned for revision (退回修改) ``RESUBMISSION_DAYS`` ago and still not resubmitted: tell the
    applicant (the chairman unit's users). The due date is the day those days are up; once per return."""

    kind = Kind.RESUBMISSION
    subject_type = "alliances.alliance"

    @staticmethod
    def _days() -> int:
        return int(conf.get("RESUBMISSION_DAYS"))

    def candidates(self, today):
        days = self._days()
        rows = (
            Alliance.objects.filter(
                state=State.RETURNED,
                state_changed_at__lt=start_of_day(today - timedelta(days=days - 1)),
                chairman__users__is_active=True,
            )
            .values_list("pk", "state_changed_at", "chairman__users__pk")
            .order_by()
        )
        stage = f"{days}d"
        for alliance_id, returned_at, user_id in rows.iterator(chunk_size=5000):
            due = timezone.localdate(returned_at) + timedelta(days=days)
            yield self.candidate(alliance_id, due, stage, user_id)

    def still_due(self, reminders, today):
        days = self._days()
        alliances = Alliance.objects.filter(
            pk__in={r.subject_id for r in reminders}, state=State.RETURNED
        ).values_list("pk", "name", "state_changed_at")
        returned_on = {pk: (name, timezone.localdate(at)) for pk, name, at in alliances}
        due = {}
        for reminder in reminders:
            name, on = returned_on.get(reminder.subject_id, (None, None))
            # The same return as when the reminder was found: a later return is a new deadline.
            if on is not None and on + timedelta(days=days) == reminder.due_date:
                due[reminder.pk] = Subject(name, applicant_url(Alliance(pk=reminder.subject_id)))
        return due

    def message(self, reminder, subject, today):
        returned_on = reminder.due_date - timedelta(days=self._days())
        title = _("%(alliance)s: returned application not yet resubmitted") % {"alliance": subject.name}
        body = _(
            "The application of %(alliance)s was returned for revision on %(date)s, %(days)s days ago, and has "
            "not been resubmitted. Please revise and resubmit it, or withdraw it if the alliance no longer "
            "applies."
        ) % {"alliance": subject.name, "date": long_date(returned_on), "days": (today - returned_on).days}
        return Text(title, body, subject.url)
