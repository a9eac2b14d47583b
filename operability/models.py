from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BackupRun(models.Model):
    """One run of ``manage.py backup`` (备份记录): when, how long, what it wrote (sizes, SHA-256) and where, or
    why it failed; and what the retention made of it. The run's own ``manifest.json`` beside its files stays the
    backup's description; this is the database's record of the runs, for the admin and the retention."""

    class Outcome(models.TextChoices):
        RUNNING = "running", pgettext_lazy("backup run", "Running")
        SUCCEEDED = "succeeded", pgettext_lazy("backup run", "Succeeded")
        FAILED = "failed", pgettext_lazy("backup run", "Failed")

    name = models.CharField(_("run"), max_length=32, unique=True, help_text=_("The run's folder, its UTC time."))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    destination = models.CharField(_("written to"), max_length=500)
    database_file = models.CharField(_("database file"), max_length=64, blank=True)
    database_size = models.BigIntegerField(_("database size (bytes)"), null=True, blank=True)
    database_sha256 = models.CharField(_("database SHA-256"), max_length=64, blank=True)
    media_size = models.BigIntegerField(_("files archive size (bytes)"), null=True, blank=True)
    media_sha256 = models.CharField(_("files archive SHA-256"), max_length=64, blank=True)
    tables = models.PositiveIntegerField(_("tables"), null=True, blank=True)
    rows = models.PositiveBigIntegerField(_("rows"), null=True, blank=True)
    files = models.PositiveIntegerField(_("files"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    retention = models.CharField(_("retention"), max_length=100, blank=True,
                                 help_text=_("Why the run is kept (the day's or the week's copy), or when it was deleted."))
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("backup run")
        verbose_name_plural = _("backup runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.name} {self.outcome}"

    @property
    def size(self) -> int | None:
        if self.database_size is None or self.media_size is None:
            return None
        return self.database_size + self.media_size
