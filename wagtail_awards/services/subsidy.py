"""A call's subsidies from the database: its amounts and the subsidy table of its awards (the rule itself is
:mod:`wagtail_awards.rules.subsidy`)."""

from django.db import models

from ..enums import AwardStatus
from ..models import Award
from ..rules.subsidy import AwardFacts, Rates, Table, table
from ..rules.subsidy import amount_for as amount_for  # the screens price one award with the call's rates


def rates_for_call(*, call) -> Rates:
    """The call's amounts (``CallPrizeLevel.subsidy``, ``CallPage.most_popular_subsidy``). Reads the database."""
    return Rates(
        prizes={level.rank: level.subsidy for level in call.prize_levels.all()},
        most_popular=call.most_popular_subsidy,
    )


def table_for_call(*, call) -> Table:
    """The subsidy table of every award of ``call``, ordered by prize rank then project. Reads the database."""
    awards = (
        Award.objects.filter(application__call=call)
        .select_related("application", "application__organization")
        .order_by(models.F("prize_rank").asc(nulls_last=True), "application__project_name", "pk")
    )
    return table(
        awards=[
            AwardFacts(
                key=award.pk,
                project=award.application.project_name,
                unit=award.application.unit_name or award.application.organization.name,
                prize_rank=award.prize_rank,
                most_popular=award.most_popular,
                federation_subsidised=award.federation_subsidised,
                cancelled=award.status == AwardStatus.CANCELLED,
                status=award.get_status_display(),
            )
            for award in awards
        ],
        rates=rates_for_call(call=call),
    )
