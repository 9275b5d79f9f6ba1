"""Builders for the publicity stage: a call in publicity with its page and proposed awards."""

from decimal import Decimal

from tests.factories import local, make_application, make_call
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Award, CallPrizeLevel, PublicityPage


def make_publicity(index, *, year=2021, starts=None, projects=3, **fields):
    """A call whose publicity starts at ``starts`` (default 2021-09-29 09:00), its publicity page and
    ``projects`` proposed awards: ranks 1, 2, 3, … (the first one also most popular)."""
    call = make_call(index, year=year, publicity_starts=starts or local(year, 9, 29, 9), **fields)
    call.prize_levels = [
        CallPrizeLevel(rank=1, name="一等奖", count=2, subsidy=Decimal(10000)),
        CallPrizeLevel(rank=2, name="二等奖", count=5, subsidy=Decimal(6000)),
        CallPrizeLevel(rank=3, name="三等奖", count=100, subsidy=Decimal(3000)),
    ]
    call.most_popular_label = "最受教职工欢迎项目"
    call.most_popular_subsidy = Decimal(8000)
    call.save_revision().publish()
    page = PublicityPage(title=f"{year}年度公示", slug="publicity")
    call.add_child(instance=page)
    page.save_revision().publish()
    awards = [make_award(call, rank=min(i + 1, 3), most_popular=i == 0) for i in range(projects)]
    return call, page, awards


def make_award(call, *, rank=3, most_popular=False, **fields):
    application = make_application(call, status=ApplicationStatus.PROPOSED)
    return Award.objects.create(application=application, prize_rank=rank, most_popular=most_popular, **fields)
