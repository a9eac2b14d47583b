from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CalendarYear(models.Model):
    """A year's public holidays and make-up working days (调休) as the State Council's notice sets them, entered by
    the administrator: for a year the bundled calendar (chinese-calendar) does not know yet, or to correct it.

    A year entered here is taken from here alone: its listed days, and Monday to Friday for every other day.
    """

    year = models.PositiveSmallIntegerField(pgettext_lazy("calendar", "year"), unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    source = models.CharField(pgettext_lazy("calendar", "source"), max_length=200,
                              help_text=_("The notice the days come from, e.g. “国务院办公厅关于2027年部分节假日安排的通知”."))
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days",
                                      verbose_name=pgettext_lazy("calendar", "year"))
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), default=False,
        help_text=_("Ticked: a make-up working day (调休上班) on a weekend. Not ticked: a public holiday."))
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. 春节, 国庆节"))

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"

    def clean(self):
        try:
            year = self.calendar_year.year
        except CalendarYear.DoesNotExist:  # the year's own form reports what is missing
            return
        if self.date and year and self.date.year != year:
            raise ValidationError({"date": _("The date must fall in %(year)s.") % {"year": year}})
