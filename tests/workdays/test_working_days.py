"""Working days as a public office counts them (issue 20, point 1): public holidays left out, make-up working
days counted, from chinese-calendar for the years it knows and from the administrator's table for the others;
a period that runs into an unknown year is refused with a message telling the administrator what to enter."""

from datetime import date, timedelta
from itertools import takewhile

import pytest
from django.urls import reverse

from alliance_portal.core.errors import WorkflowError
from alliance_portal.workdays import calendar as workdays
from alliance_portal.workdays.models import CalendarDay, CalendarYear
from reviews.services import notice_end

pytestmark = [pytest.mark.django_db, pytest.mark.real_calendar]


def test_national_day_2026_is_left_out_and_its_make_up_saturday_counted():
    # 2026: 10-01 … 10-07 National Day; Saturday 10-10 is a make-up working day (State Council notice).
    assert workdays.is_workday(date(2026, 10, 10))
    assert not workdays.is_workday(date(2026, 10, 5))
    assert notice_end(date(2026, 9, 29), 7, working_days=True) == date(2026, 10, 13)
    # counted as weekdays only, the notice would have ended on 10-07, in the middle of the holiday: five days short
    assert notice_end(date(2026, 9, 29), 7, working_days=False) == date(2026, 10, 5)


def test_spring_festival_2026_is_left_out():
    # 2026-02-15 … 02-23 Spring Festival; Saturday 02-14 and Saturday 02-28 are make-up working days.
    assert list(takewhile(lambda d: d < date(2026, 3, 1), workdays.working_days(date(2026, 2, 12)))) == [
        date(2026, 2, 12), date(2026, 2, 13), date(2026, 2, 14),
        date(2026, 2, 24), date(2026, 2, 25), date(2026, 2, 26), date(2026, 2, 27), date(2026, 2, 28)]


@pytest.fixture
def spring_festival_2027():
    """2027 as an administrator enters it from the notice (the bundled calendar stops at 2026). These days are
    the test's own example, not the official 2027 arrangement."""
    year = CalendarYear.objects.create(year=2027, source="测试：管理员录入的2027年节假日安排")
    for offset in range(8):  # Friday 02-05 … Friday 02-12
        CalendarDay.objects.create(calendar_year=year, date=date(2027, 2, 5) + timedelta(days=offset), name="春节")
    CalendarDay.objects.create(calendar_year=year, date=date(2027, 2, 20), is_workday=True, name="春节调休")
    return year


def test_a_notice_across_new_year_into_an_entered_spring_festival_2027(spring_festival_2027):
    # From Thursday 2027-02-04: 02-04, then the festival 02-05 … 02-12, then 02-15 … 02-19, make-up Saturday 02-20
    assert notice_end(date(2027, 2, 4), 7, working_days=True) == date(2027, 2, 20)
    # across the new year: 2026's days from the package, 2027's from the table (01-01 is an ordinary Friday in
    # this table, which lists only the festival)
    assert notice_end(date(2026, 12, 29), 5, working_days=True) == date(2027, 1, 4)


def test_a_period_into_a_year_nobody_entered_is_refused_with_what_to_do():
    with pytest.raises(workdays.UnknownCalendarYear) as unknown:
        workdays.nth_working_day(date(2026, 12, 28), 7)
    assert unknown.value.year == 2027
    with pytest.raises(WorkflowError) as refused:
        notice_end(date(2026, 12, 28), 7, working_days=True)
    assert "2027" in refused.value.message
    assert reverse("admin:workdays_calendaryear_add") in refused.value.message
    # calendar days need no calendar
    assert notice_end(date(2026, 12, 28), 7, working_days=False) == date(2027, 1, 3)


def test_an_entered_year_overrides_the_package(spring_festival_2027):
    corrected = CalendarYear.objects.create(year=2026, source="更正")
    CalendarDay.objects.create(calendar_year=corrected, date=date(2026, 10, 8), name="测试：更正为休息日")
    assert not workdays.is_workday(date(2026, 10, 8))
    assert not workdays.is_workday(date(2026, 10, 10))  # 2026 now comes from the table, which lists no make-up day


def test_the_admin_enters_a_year_with_its_days(admin_client):
    response = admin_client.post(reverse("admin:workdays_calendaryear_add"), {
        "year": 2028, "source": "国务院办公厅关于2028年部分节假日安排的通知",
        "days-TOTAL_FORMS": 2, "days-INITIAL_FORMS": 0, "days-MIN_NUM_FORMS": 0, "days-MAX_NUM_FORMS": 1000,
        "days-0-date": "2028-01-01", "days-0-name": "元旦",
        "days-1-date": "2027-12-31", "days-1-name": "写错了年份",
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200  # refused: one date is not in 2028
    page = response.content.decode()
    assert "The date must fall in 2028." in page or "日期必须在2028年内。" in page  # the reader's language
    assert not CalendarYear.objects.filter(year=2028).exists()
