from django.contrib import admin

from .models import CalendarDay, CalendarYear


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 10
    fields = ["date", "is_workday", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "entered_at"]
    inlines = [CalendarDayInline]
