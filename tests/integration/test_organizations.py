import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests.builders import make_org
from wagtail_awards.enums import OrganizationKind as K
from wagtail_awards.models import Organization
from wagtail_awards.services.organizations import import_organizations


@pytest.mark.django_db
def test_recommending_organisation_is_the_nearest_city_or_university():
    province = make_org("省", K.PROVINCE)
    city = make_org("南京市教育工会", K.CITY, province)
    school = make_org("某中学工会", K.GRASSROOTS, city)
    branch = make_org("某中学分工会", K.GRASSROOTS, school)
    university = make_org("某大学工会", K.UNIVERSITY, province)
    assert branch.recommending_organization == city
    assert school.recommending_organization == city
    assert city.recommending_organization == city
    assert university.recommending_organization == university
    assert province.recommending_organization is None


@pytest.mark.django_db
def test_hierarchy_rules_are_validated():
    province = make_org("省", K.PROVINCE)
    with pytest.raises(ValidationError):
        Organization(name="无上级基层", kind=K.GRASSROOTS).full_clean()
    with pytest.raises(ValidationError):
        Organization(name="市下的省", kind=K.PROVINCE, parent=province).full_clean()
    Organization(name="市", kind=K.CITY, parent=province).full_clean()


@pytest.mark.django_db
def test_import_creates_parents_given_after_children_and_updates_on_rerun():
    rows = [
        {"name": "某中学工会", "kind": "grassroots", "parent": "南京市教育工会", "city": "南京"},
        {"name": "南京市教育工会", "kind": "city", "parent": "省教科工会", "city": "南京"},
        {"name": "省教科工会", "kind": "province", "parent": "", "city": ""},
    ]
    result = import_organizations(rows=rows)
    assert (result.created, result.updated, result.errors) == (3, 0, [])
    assert Organization.objects.get(name="某中学工会").recommending_organization.name == "南京市教育工会"
    again = import_organizations(rows=rows)
    assert (again.created, again.updated) == (0, 3)
    assert Organization.objects.count() == 3


@pytest.mark.django_db
def test_import_writes_nothing_when_a_row_is_wrong():
    rows = [
        {"name": "省教科工会", "kind": "province", "parent": ""},
        {"name": "孤儿工会", "kind": "grassroots", "parent": "不存在的工会"},
        {"name": "怪工会", "kind": "martian", "parent": ""},
    ]
    result = import_organizations(rows=rows)
    assert any("martian" in error for error in result.errors)
    assert Organization.objects.count() == 0
    result = import_organizations(rows=rows[:2])
    assert result.errors and "不存在的工会" in result.errors[0]
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_import_command_reads_csv(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "name,kind,parent,city\n省教科工会,province,,\n苏州市教育工会,市,省教科工会,苏州\n", encoding="utf-8"
    )
    call_command("import_organizations", str(path))
    assert Organization.objects.get(name="苏州市教育工会").kind == K.CITY
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind,parent,city\n,city,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_organizations", str(bad))
