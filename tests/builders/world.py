"""One world for the integration and browser tests: the province union, two city unions and a university union,
their units, one person per role and a call at a given stage.

``build_world(site_root, stage=...)`` builds it in one shape whatever the stage; the stage sets the call's dates
and what exists of the round so far:

- ``applying``: applications open (from yesterday to five days ahead, or until ``deadline``), the form page;
- ``review``: applications closed two days ago, recommendation open five more days, review fifteen; six
  applications (five submitted three days ago, one draft);
- ``voting``: the same applications shortlisted (the draft stays a draft), the review still on, the vote open from
  yesterday to tomorrow, the voting page;
- ``publicity``: the same applications proposed for a prize (nj1 first prize and most popular, the others third,
  of the three prize levels of ``calls.PUBLICITY_PRIZES``), the review and the vote over, the publicity running
  since yesterday, its page.

What a test needs on top:

- ``now``: a fixed instant for tests that move the clock (the dates are counted from it); a date given by name
  (``voting_opens=…``, ``publicity_starts=…``, any ``CallPage`` date) replaces the stage's one, and so does any
  other field of the call (``title=…``, ``slug=…``);
- ``projects``: a number of numbered projects (``p1``, ``p2``, …) instead of the six named applications: in the
  voting stage candidates 候选项目1, 候选项目2, …; in the publicity stage proposed awards of ranks 1, 2, 3, 3, …
  (the first also most popular); none with ``projects=0``;
- ``tallies``: when the voting page shows the tallies (``during``, ``after``, ``never``);
- ``prizes``: the prize levels as (rank, name, count, subsidy) instead of the stage's;
- ``publish=False``: the call is a draft, not live, and without pages (an editor publishes it);
- ``beside=world``: a second call (of another ``year``) in the same world: its organisations and people.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail_awards.enums import ApplicationStatus, OrganizationKind, Role
from wagtail_awards.models import CallPage
from wagtail_awards.services.setup import ensure_role_groups

from .applications import make_application, make_candidates, save_url
from .calls import (
    ONE_PRIZE,
    PUBLICITY_PRIZES,
    local,
    make_award,
    make_call,
    make_form_page,
    make_publicity_page,
    make_voting_page,
)
from .people import make_org, make_user, verify_voter

STAGES = ("applying", "review", "voting", "publicity")

#: A deadline for tests that freeze time: 2021-10-19 23:59:59 Asia/Shanghai, the last accepted instant.
DEADLINE = local(2021, 10, 19, 23, 59, 59)
#: An instant before ``DEADLINE`` with applications open.
BEFORE = local(2021, 10, 10, 10, 0)

#: key: (name, kind, parent key, city)
ORGANISATIONS = {
    "province": ("江苏省教育科技工会", OrganizationKind.PROVINCE, None, ""),
    "nanjing": ("南京市教育工会", OrganizationKind.CITY, "province", "南京"),
    "suzhou": ("苏州市教育工会", OrganizationKind.CITY, "province", "苏州"),
    "seu": ("东南大学工会", OrganizationKind.UNIVERSITY, "province", "南京"),
    "nj1": ("南京市第一中学工会", OrganizationKind.GRASSROOTS, "nanjing", "南京"),
    "nj2": ("南京市金陵中学工会", OrganizationKind.GRASSROOTS, "nanjing", "南京"),
    "sz1": ("苏州中学工会", OrganizationKind.GRASSROOTS, "suzhou", "苏州"),
    "seu1": ("东南大学机械学院分工会", OrganizationKind.GRASSROOTS, "seu", "南京"),
}

#: username (also the key in ``World.users`` and the first name): (organisation key, role, e-mail)
PEOPLE = {
    "province": ("province", Role.PROVINCE_ADMIN, ""),
    "rec_nj": ("nanjing", Role.RECOMMENDER, ""),
    "rec_sz": ("suzhou", Role.RECOMMENDER, ""),
    "rec_seu": ("seu", Role.RECOMMENDER, ""),
    "reviewer_seu": ("seu", Role.REVIEWER, ""),
    "reviewer_sz": ("suzhou", Role.REVIEWER, ""),
    "reviewer_prov": ("province", Role.REVIEWER, ""),
    "applicant": ("nj1", Role.APPLICANT, "a@example.com"),
    "colleague": ("nj1", Role.APPLICANT, ""),
    "applicant_nj2": ("nj2", Role.APPLICANT, ""),
    "applicant_sz1": ("sz1", Role.APPLICANT, ""),
}

#: key: (unit, recommending union, project name, status in the review stage)
APPLICATIONS = {
    "nj1": ("nj1", "nanjing", "书香校园", "submitted"),
    "nj2": ("nj2", "nanjing", "教工之家", "submitted"),
    "nj3": ("nj1", "nanjing", "青年教师成长营", "submitted"),
    "sz1": ("sz1", "suzhou", "苏式工会服务", "submitted"),
    "seu1": ("seu1", "seu", "暖心驿站", "submitted"),
    "draft": ("nj2", "nanjing", "草稿项目", "draft"),
}


@dataclass
class World:
    stage: str
    call: CallPage
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    apps: dict = field(default_factory=dict)
    awards: dict = field(default_factory=dict)
    form_page: object = None
    voting_page: object = None
    publicity_page: object = None
    #: What a test adds on top, by name (a stored file, an assignment, an objection, …).
    extra: dict = field(default_factory=dict)

    @property
    def save_url(self):
        """Where the form page's browser posts (applying stage)."""
        return save_url(self.form_page)


def _call_dates(stage, now, deadline):
    """The call's dates at ``stage``, in the round's order: applications, recommendation, review, vote, publicity."""
    if stage == "applying":
        if deadline:
            return {"deadline": deadline}
        return {"deadline": now + dt.timedelta(days=5), "application_opens": now - dt.timedelta(days=1)}
    if stage == "review":
        days = {"application_opens": -30, "deadline": -2, "recommendation_deadline": 5, "review_deadline": 15}
    elif stage == "voting":
        days = {"application_opens": -50, "deadline": -20, "recommendation_deadline": -10, "review_deadline": 5}
        days["voting_opens"] = -1
        days["voting_closes"] = 1
    else:
        days = {"application_opens": -70, "deadline": -40, "recommendation_deadline": -30, "review_deadline": -20}
        days["voting_opens"] = -12
        days.update(voting_closes=-8, publicity_starts=-1)
    dates = {name: now + dt.timedelta(days=count) for name, count in days.items()}
    return {**dates, "deadline": deadline} if deadline else dates


def build_world(
    site_root,
    *,
    stage="applying",
    now=None,
    deadline=None,
    year=None,
    projects=None,
    tallies="during",
    publish=True,
    prizes=None,
    beside=None,
    **dates,
) -> World:
    """The world at ``stage`` (one of ``STAGES``), its dates counted from ``now`` (default: the current time);
    ``deadline`` fixes the applications' last instant instead (and the call's year to its year). The other
    arguments are in the module's docstring."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; one of {STAGES}")
    now = now or timezone.now()
    year = year or (deadline.year if deadline else 2025)
    prizes = prizes or (PUBLICITY_PRIZES if stage == "publicity" else ONE_PRIZE)
    call = make_call(
        site_root,
        year=year,
        most_popular_label="最受教职工欢迎项目",
        most_popular_subsidy=Decimal(8000),
        prize_levels=prizes,
        publish=publish,
        **({} if publish else {"live": False}),
        **{**_call_dates(stage, now, deadline), **dates},
    )
    world = World(stage=stage, call=call)
    if beside is not None:
        world.orgs, world.users = beside.orgs, beside.users
    else:
        _people(world)
    if publish and stage == "applying":
        world.form_page = make_form_page(call)
    elif publish and projects is None:
        _applications(world, now)
    elif publish:
        _numbered_projects(world, projects)
    if publish and stage == "voting":
        world.voting_page = make_voting_page(call, when=tallies)
    if publish and stage == "publicity":
        world.publicity_page = make_publicity_page(call)
        if projects is None:
            for key, application in world.apps.items():
                if application.status == ApplicationStatus.PROPOSED:
                    world.awards[key] = make_award(
                        call, application=application, rank=1 if key == "nj1" else 3, most_popular=key == "nj1"
                    )
    # A fresh instance: the one made keeps its child rows (criteria, prizes) in memory.
    world.call = CallPage.objects.get(pk=call.pk)
    return world


def _people(world):
    for key, (name, kind, parent, city) in ORGANISATIONS.items():
        world.orgs[key] = make_org(name, kind, world.orgs.get(parent), city)
    groups = ensure_role_groups()
    for username, (org, role, email) in PEOPLE.items():
        user = make_user(username, org=world.orgs[org], role=role, first_name=username, email=email)
        if role in groups:
            user.groups.add(groups[role])
        world.users[username] = user
    world.users["voter"] = verify_voter(make_user("voter", first_name="voter"))
    world.users["nobody"] = make_user("nobody")
    # Wagtail's page editor (its "Editors" group), who writes and publishes the notices.
    editor = make_user("page_editor", first_name="page_editor", email="page_editor@example.com")
    editor.groups.add(Group.objects.get(name="Editors"))
    world.users["editor"] = editor


def _numbered_projects(world, count):
    """``count`` projects p1, p2, …: candidates in the voting stage, proposed awards of ranks 1, 2, 3, 3, … (the
    first also most popular) in the publicity stage, submitted applications before."""
    if world.stage == "publicity":
        for number in range(1, count + 1):
            award = make_award(world.call, rank=min(number, 3), most_popular=number == 1)
            world.apps[f"p{number}"], world.awards[f"p{number}"] = award.application, award
        return
    status = "recommended" if world.stage == "voting" else "submitted"
    for number, application in enumerate(make_candidates(world.call, count, status=status), start=1):
        world.apps[f"p{number}"] = application


def _applications(world, now):
    shortlisted = {"voting": ApplicationStatus.RECOMMENDED, "publicity": ApplicationStatus.PROPOSED}
    for key, (org, recommending, name, status) in APPLICATIONS.items():
        if status == "submitted":
            status = shortlisted.get(world.stage, status)
        world.apps[key] = make_application(
            world.call,
            org=world.orgs[org],
            applicant=world.users["applicant"],
            recommending_organization=world.orgs[recommending],
            project_name=name,
            reference=f"R{len(world.apps) + 1:03d}",
            status=status,
            submitted_at=now - dt.timedelta(days=3),
        )
