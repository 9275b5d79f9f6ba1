"""A round in preliminary review: two cities and a university, their applicants, one user per role."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from tests.factories import make_application, make_call, make_org, make_user
from wagtail_awards.enums import OrganizationKind, Role
from wagtail_awards.models import CallPage
from wagtail_awards.services.setup import ensure_role_groups


@dataclass
class World:
    call: object
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    apps: dict = field(default_factory=dict)


def build_round(site_root, *, year=2025, now=None) -> World:
    now = now or timezone.now()
    call = make_call(
        site_root,
        year=year,
        deadline=now - dt.timedelta(days=2),
        recommendation_deadline=now + dt.timedelta(days=5),
        review_deadline=now + dt.timedelta(days=15),
    )
    # A fresh instance: the factory's one keeps its child rows (criteria, prizes) in memory.
    call = CallPage.objects.get(pk=call.pk)
    world = World(call=call)
    province = make_org("江苏省教育科技工会", OrganizationKind.PROVINCE)
    nanjing = make_org("南京市教育工会", OrganizationKind.CITY, province, "南京")
    suzhou = make_org("苏州市教育工会", OrganizationKind.CITY, province, "苏州")
    seu = make_org("东南大学工会", OrganizationKind.UNIVERSITY, province, "南京")
    world.orgs = {
        "province": province,
        "nanjing": nanjing,
        "suzhou": suzhou,
        "seu": seu,
        "nj1": make_org("南京市第一中学工会", parent=nanjing, city="南京"),
        "nj2": make_org("南京市金陵中学工会", parent=nanjing, city="南京"),
        "sz1": make_org("苏州中学工会", parent=suzhou, city="苏州"),
        "seu1": make_org("东南大学机械学院分工会", parent=seu, city="南京"),
    }
    groups = ensure_role_groups()

    def person(username, org, role):
        user = make_user(username, org=world.orgs[org], role=role, first_name=username)
        if role in groups:
            user.groups.add(groups[role])
        world.users[username] = user
        return user

    person("province", "province", Role.PROVINCE_ADMIN)
    person("rec_nj", "nanjing", Role.RECOMMENDER)
    person("rec_sz", "suzhou", Role.RECOMMENDER)
    person("reviewer_seu", "seu", Role.REVIEWER)
    person("reviewer_sz", "suzhou", Role.REVIEWER)
    person("reviewer_prov", "province", Role.REVIEWER)
    person("applicant", "nj1", Role.APPLICANT)

    def app(key, org, recommending, name, status="submitted"):
        world.apps[key] = make_application(
            call,
            org=world.orgs[org],
            applicant=world.users["applicant"],
            recommending_organization=world.orgs[recommending],
            project_name=name,
            reference=f"R{len(world.apps) + 1:03d}",
            status=status,
            submitted_at=now - dt.timedelta(days=3),
        )

    app("nj1", "nj1", "nanjing", "书香校园")
    app("nj2", "nj2", "nanjing", "教工之家")
    app("nj3", "nj1", "nanjing", "青年教师成长营")
    app("sz1", "sz1", "suzhou", "苏式工会服务")
    app("seu1", "seu1", "seu", "暖心驿站")
    app("draft", "nj2", "nanjing", "草稿项目", status="draft")
    return world
