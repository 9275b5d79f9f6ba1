import datetime as dt

import pytest

from wagtail_awards import workdays
from wagtail_awards.models import CalendarException

D = dt.date


@pytest.mark.django_db
def test_public_functions_follow_the_china_calendar():
    assert workdays.is_working_day(D(2021, 10, 9)) is True
    assert workdays.is_working_day(D(2021, 10, 4)) is False
    assert workdays.nth_working_day(D(2021, 9, 29), 5) == D(2021, 10, 11)
    assert workdays.working_days_between(D(2021, 9, 29), D(2021, 10, 11)) == 5


@pytest.mark.django_db
def test_calendar_exception_rows_override_the_library():
    CalendarException.objects.create(day=D(2021, 10, 8), is_working_day=False, note="local day off")
    assert workdays.is_working_day(D(2021, 10, 8)) is False
    assert workdays.nth_working_day(D(2021, 9, 29), 5) == D(2021, 10, 12)
    CalendarException.objects.create(day=D(2021, 10, 10), is_working_day=True, note="extra make-up day")
    assert workdays.nth_working_day(D(2021, 9, 29), 5) == D(2021, 10, 11)
    assert workdays.working_days_between(D(2021, 10, 8), D(2021, 10, 10)) == 2


@pytest.mark.django_db
def test_a_year_the_library_does_not_know_is_covered_by_exceptions():
    # Whatever the library knows of 2099, rows decide: a Saturday made a working day counts.
    saturday = D(2099, 1, 3)
    assert workdays.is_working_day(saturday) is False
    CalendarException.objects.create(day=saturday, is_working_day=True)
    assert workdays.is_working_day(saturday) is True


@pytest.mark.django_db
def test_publicity_end_on_the_call_uses_exceptions(call_page):
    from tests.builders import local

    call_page.publicity_starts = local(2021, 9, 29, 9)
    call_page.publicity_working_days = 5
    assert call_page.publicity_ends.date() == D(2021, 10, 11)
    CalendarException.objects.create(day=D(2021, 10, 11), is_working_day=False)
    del call_page.publicity_ends  # cached per instance
    assert call_page.publicity_ends.date() == D(2021, 10, 12)
