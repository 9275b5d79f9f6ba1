"""Next year's round as plain rules: dates moved by years, weekdays kept, years in text, menu labels, deadlines."""

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest

from wagtail_awards.rules import rounds
from wagtail_awards.rules.schedule import end_of_minute
from wagtail_awards.rules.workdays import holidays_estimated

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_a_date_moves_by_whole_years_keeping_its_local_time():
    moved = rounds.move_date(local(2021, 10, 19, 23, 59, 59), years=1, same_weekday=False, tz=SHANGHAI)
    assert moved == local(2022, 10, 19, 23, 59, 59)
    # An instant given in UTC moves in local time: 2021-10-19 16:00 UTC is midnight of the 20th in Shanghai.
    utc = dt.datetime(2021, 10, 19, 16, 0, tzinfo=dt.UTC)
    assert rounds.move_date(utc, years=6, same_weekday=False, tz=SHANGHAI) == local(2027, 10, 20, 0, 0)


def test_29_february_becomes_the_28th_in_a_common_year():
    assert rounds.move_date(local(2024, 2, 29, 9), years=1, same_weekday=False, tz=SHANGHAI) == local(2025, 2, 28, 9)


@pytest.mark.parametrize("years", [1, 2, 5, 6])
def test_same_weekday_keeps_a_tuesday_deadline_a_tuesday_within_three_days(years):
    deadline = local(2021, 10, 19, 23, 59)  # the notice: 2021年10月19日（周二）
    moved = rounds.move_date(deadline, years=years, same_weekday=True, tz=SHANGHAI)
    same_date = deadline.replace(year=2021 + years)
    assert moved.weekday() == deadline.weekday() == 1
    assert abs((moved - same_date).days) <= 3
    assert moved.time() == deadline.time()


def test_the_notice_that_names_a_weekday_asks_for_same_weekday_dates():
    assert rounds.names_weekdays(["受理截止时间是2021年10月19日（周二）。"])
    assert rounds.names_weekdays(["截止日期为10月19日(星期二)"])
    assert not rounds.names_weekdays(["截止时间是2021年10月19日。", "周二开会"])


def test_the_year_is_replaced_only_where_it_stands_alone():
    assert rounds.replace_year("关于开展2021年度申报工作的通知", 2021, 2027) == "关于开展2027年度申报工作的通知"
    assert (
        rounds.replace_year("编号20210 与 120219 不变，2021-10-19 变", 2021, 2027)
        == "编号20210 与 120219 不变，2027-10-19 变"
    )


def test_mentions_of_the_old_year_are_listed_with_their_context():
    text = "今年以来……决定开展2021年度全省教科系统基层工会服务教职工优质项目申报工作。截止时间是2021年10月19日。"
    found = rounds.mentions(text, 2021)
    assert len(found) == 2
    assert "决定开展2021年度" in found[0] and "截止时间是2021年10月19日" in found[1]
    assert rounds.mentions("20210号文件", 2021) == []


def test_date_changes_follow_the_stages_and_flag_a_changed_weekday():
    old = {"application_deadline": local(2026, 12, 27, 23, 59), "voting_opens": None, "application_opens": None}
    (change,) = rounds.date_changes(old, years=1, same_weekday=False, tz=SHANGHAI)
    assert change.field == "application_deadline"
    assert change.new == local(2027, 12, 27, 23, 59)
    assert change.weekday_changed  # a Sunday, then a Monday
    (kept,) = rounds.date_changes(old, years=1, same_weekday=True, tz=SHANGHAI)
    assert not kept.weekday_changed and kept.new == local(2027, 12, 26, 23, 59)


def test_menu_labels_are_short_and_distinct():
    labels = rounds.menu_labels([(1, 2026, "申报"), (2, 2025, "网络投票"), (3, 2025, "公示"), (4, 2021, "发布并奖补")])
    assert labels[1].startswith("2026") and "2025" in labels[2]
    assert len(set(labels.values())) == 4
    assert all(len(label) < 30 for label in labels.values())
    same = rounds.menu_labels([(1, 2025, "公示"), (2, 2025, "公示")])
    assert same[1] != same[2]


def test_a_deadline_entered_to_the_minute_lasts_the_whole_minute():
    assert end_of_minute(local(2026, 12, 27, 23, 59)) == local(2026, 12, 27, 23, 59, 59, 999999)
    assert end_of_minute(local(2026, 12, 27, 23, 59, 30)) == local(2026, 12, 27, 23, 59, 30)
    assert end_of_minute(None) is None


def test_years_after_the_last_official_china_schedule_are_estimated():
    calendar = holidays.country_holidays("CN")
    assert not holidays_estimated(2021, holidays=calendar)
    last_known = max(
        year
        for year, days in calendar.special_public_holidays.items()
        if any(isinstance(day, tuple) and len(day) == 4 for day in days)
    )
    assert not holidays_estimated(last_known, holidays=calendar)
    assert holidays_estimated(last_known + 1, holidays=calendar)
    # A calendar without yearly substitutions (Germany's) is not estimated for that reason.
    assert not holidays_estimated(last_known + 1, holidays=holidays.country_holidays("DE"))
