"""How many database queries each admin screen of the app runs, on the demo, for the person who works on it.

    .venv/bin/python bench/admin_queries.py [--root DIR] [--json OUT] [--against BASELINE.json]

Loads the demo into an in-memory SQLite database (``example_site.settings.test``), then opens every admin screen
and export the app adds (by URL path, so the same list runs on any version of the code) as its persona: once to
warm the caches (content types, the site, the session), then once counted. ``--root`` measures the code of another
checkout (e.g. ``/work/main``) with this script; ``--json`` writes the figures; ``--against`` prints them beside a
baseline written earlier with ``--json``, with the difference. Query counts do not depend on the machine, so a
baseline from another checkout compares directly.
"""

import argparse
import json
import os
import sys
from pathlib import Path


def screens():
    """(persona, URL path) of every admin screen and export of the app, found from the demo's rows."""
    from wagtail_awards.models import (
        Application,
        Award,
        CallPage,
        Membership,
        Objection,
        Organization,
        Recommendation,
        RecommendationList,
        ReviewAssignment,
    )

    def call(slug):
        return CallPage.objects.get(slug=slug)

    review, publicity, voting = call("review-2025"), call("publicity-2025"), call("vote-2025")
    open_call = CallPage.objects.order_by("-year").first()
    scored = Application.objects.filter(call=review, status="scored").first()
    in_round = Application.objects.filter(call=review).exclude(status="draft").first()
    mine = ReviewAssignment.objects.filter(reviewer__username="reviewer", application__call=review).first()
    award = Award.objects.filter(application__call=publicity).first()
    objection = Objection.objects.first()
    nanjing = Organization.objects.get(name="南京市教育工会")
    membership = Membership.objects.filter(status="pending").first()
    r = "/admin/awards/review/"
    m = "/admin/wagtail_awards/"
    found = [
        ("province", "/admin/"),
        ("province", f"{r}applications/?call={review.pk}"),
        ("province", f"{r}applications/?call={review.pk}&export=csv"),
        ("province", f"{r}applications/{scored.pk}/"),
        ("province", f"{r}recommend/?call={review.pk}"),
        ("province", f"{r}recommend/?call={review.pk}&org={nanjing.pk}"),
        ("province", f"{r}assignments/?call={review.pk}"),
        ("province", f"{r}scores/?call={review.pk}"),
        ("province", f"{r}scores/?call={review.pk}&export=xlsx"),
        ("province", f"{r}ranking/?call={review.pk}"),
        ("province", f"{r}ranking/?call={review.pk}&suggest=1"),
        ("province", f"{r}ranking/?call={review.pk}&export=csv"),
        ("recommender", "/admin/"),
        ("recommender", f"{r}applications/"),
        ("recommender", f"{r}recommend/"),
        ("recommender", f"{r}recommend/?export=xlsx"),
        ("recommender", f"{r}recommend/{in_round.pk}/"),
        ("recommender", f"{r}applications/{in_round.pk}/"),
        ("reviewer", "/admin/"),
        ("reviewer", f"{r}applications/"),
        ("reviewer", f"{r}scores/"),
        ("reviewer", f"{r}scores/?export=csv"),
        ("reviewer", f"{r}scores/{mine.pk}/"),
        ("province", f"{m}application/"),
        ("province", f"{m}application/?export=csv"),
        ("province", f"{m}application/inspect/{scored.pk}/"),
        ("province", f"{m}application/history/{scored.pk}/"),
        ("recommender", f"{m}application/"),
        ("province", f"{m}pastaward/"),
        ("province", f"{m}pastaward/import/"),
        ("province", f"{m}organization/"),
        ("province", f"{m}organization/inspect/{nanjing.pk}/"),
        ("province", f"{m}membership/"),
        ("province", f"{m}membership/invite/"),
        ("recommender", f"{m}membership/"),
        ("province", f"{m}calendarexception/"),
        ("province", f"{m}award/"),
        ("province", f"{m}award/?export=xlsx"),
        ("province", f"{m}award/inspect/{award.pk}/"),
        ("province", f"{m}award/{award.pk}/cancel/"),
        ("province", f"{m}objection/"),
        ("province", f"{m}objection/inspect/{objection.pk}/"),
        ("province", f"{m}subsidies/?call={publicity.pk}"),
        ("province", f"{m}subsidies/?call={publicity.pk}&format=xlsx"),
        ("province", "/admin/awards/votes/"),
        ("province", f"/admin/awards/votes/{voting.pk}/"),
        ("province", f"/admin/awards/votes/{call('2021').pk}/"),
        ("editor", f"/admin/awards/rounds/{open_call.pk}/next/"),
    ]
    if membership is not None:
        found.append(("province", f"{m}membership/{membership.pk}/approve/"))
        found.append(("province", f"{m}membership/inspect/{membership.pk}/"))
    # The model screens of the round (new with the one admin style; a baseline without them reads "new").
    rec_list = RecommendationList.objects.filter(call=review).first()
    decision = Recommendation.objects.filter(recommendation_list__call=review).first()
    found += [
        ("province", f"{m}recommendationlist/"),
        ("province", f"{m}recommendationlist/?export=csv"),
        ("province", f"{m}recommendationlist/inspect/{rec_list.pk}/"),
        ("recommender", f"{m}recommendationlist/"),
        ("province", f"{m}recommendation/"),
        ("province", f"{m}recommendation/inspect/{decision.pk}/"),
        ("province", f"{m}reviewassignment/"),
        ("province", f"{m}reviewassignment/?export=xlsx"),
        ("province", f"{m}reviewassignment/inspect/{mine.pk}/"),
        ("reviewer", f"{m}reviewassignment/"),
        ("province", f"{m}vote/"),
        ("province", f"{m}vote/?export=csv"),
        ("province", f"{m}votingcode/"),
        ("province", f"{m}eligiblevoter/"),
    ]
    return found


def count(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        return response

    get()
    with CaptureQueriesContext(connection) as queries:
        response = get()
    return response.status_code, len(queries)


def measure():
    import django
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("load_awards_demo", stdout=quiet)
    users = {user.username: user for user in get_user_model().objects.all()}
    figures = {}
    for persona, path in screens():
        client = Client()
        client.force_login(users[persona])
        status, queries = count(client, path)
        figures[f"{persona} {path}"] = {"status": status, "queries": queries}
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1]), help="the checkout to measure")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--against", help="a baseline written with --json, printed side by side")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.root).resolve()))
    os.environ["DJANGO_SETTINGS_MODULE"] = "example_site.settings.test"
    os.environ.pop("DATABASE_URL", None)
    figures = measure()
    import wagtail_awards

    print(f"code measured: {Path(wagtail_awards.__file__).parent}")
    baseline = json.loads(Path(args.against).read_text()) if args.against else {}
    width = max(len(key) for key in figures)
    header = f"{'persona and screen':<{width}}  status  queries"
    print(header + ("  baseline  difference" if baseline else ""))
    for key, figure in figures.items():
        line = f"{key:<{width}}  {figure['status']:>6}  {figure['queries']:>7}"
        if baseline:
            before = baseline.get(key)
            if before is None:
                line += f"  {'—':>8}  {'new':>10}"
            else:
                line += f"  {before['queries']:>8}  {figure['queries'] - before['queries']:>+10}"
        print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
