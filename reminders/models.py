"""The reminder ledger: one row per reminder that is due to someone, keyed so that it is sent once."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """What a reminder is about; each kind is produced by the sweep of the same name."""

    ASSESSMENT = "assessment", _("Biennial assessment due")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment report due")
    PROGRESS_REPORT = "progress_report", _("Progress report due")
    EXPERT_REVIEW = "expert_review", _("Expert review due")
    RESUBMISSION = "resubmission", _("Returned application not resubmitted")
    ANNUAL_PLAN = "annual_plan", _("Annual development plan due")
    PUBLIC_NOTICE = "public_notice", _("Public notice period ended")
    RECTIFICATION = "rectification", _("Rectification deadline")


class Reminder(models.Model):
    """A reminder (提醒) of a deadline to one person.

    The natural key (subject, kind, due date, stage, recipient) is unique, so however often a sweep
    runs, overlaps itself or is retried, a reminder exists once; delivery turns a pending row into a
    sent one (with its notification) in the same transaction, or cancels it when the subject no
    longer needs it.
    """

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("reminder", "Pending")
        SENT = "sent", pgettext_lazy("reminder", "Sent")
        CANCELLED = "cancelled", pgettext_lazy("reminder", "Cancelled")

    subject_type = models.CharField(_("subject type"), max_length=60,
                                     help_text=_("The model label of the subject, e.g. alliances.alliance."))
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    due_date = models.DateField(_("due date"))
    stage = models.CharField(_("stage"), max_length=30,
                             help_text=_("60d, 30d, 7d before the due date; overdue-1, overdue-2 … after it."))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="reminders")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent or cancelled at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    notification = models.ForeignKey("notifications.Notification", verbose_name=_("notification"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "due_date", "stage", "recipient"],
                name="reminder_natural_key",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="reminder_state_created"),
            models.Index(fields=["kind", "due_date"], name="reminder_kind_due"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_date:%Y-%m-%d} {self.stage} → {self.recipient_id}"
