from collections import Counter

from wagtail_awards.rules import assignment
from wagtail_awards.rules.assignment import Project, Reviewer


def reviewers(*specs):
    return [Reviewer(key=key, organizations=frozenset(orgs)) for key, orgs in specs]


def test_conflicts_with_own_and_recommending_organisation():
    project = Project(key=1, organization="school", recommending_organization="city")
    assert assignment.is_conflicted(reviewer=Reviewer(key="r", organizations=frozenset({"school"})), project=project)
    assert assignment.is_conflicted(reviewer=Reviewer(key="r", organizations=frozenset({"city"})), project=project)
    assert not assignment.is_conflicted(reviewer=Reviewer(key="r", organizations=frozenset({"other"})), project=project)


def test_auto_assign_gives_k_reviewers_balanced_without_conflicts():
    projects = [Project(key=p, organization=f"school{p}", recommending_organization=f"city{p % 3}") for p in range(12)]
    pool = reviewers(("r0", {"city0"}), ("r1", {"city1"}), ("r2", {"city2"}), ("r3", {"prov"}), ("r4", {"prov"}))
    result = assignment.auto_assign(projects=projects, reviewers=pool, k=3, existing=[])
    assert result.short == []
    per_project = {}
    for project_key, reviewer_key in result.pairs:
        per_project.setdefault(project_key, set()).add(reviewer_key)
    assert all(len(keys) == 3 for keys in per_project.values()) and len(per_project) == 12
    by_key = {p.key: p for p in projects}
    for project_key, reviewer_key in result.pairs:
        reviewer = next(r for r in pool if r.key == reviewer_key)
        assert not assignment.is_conflicted(reviewer=reviewer, project=by_key[project_key])
    loads = Counter(reviewer_key for _project_key, reviewer_key in result.pairs)
    # 36 assignments over 5 reviewers: nobody more than one above anybody else.
    assert sum(loads.values()) == 36
    assert max(loads.values()) - min(loads.values()) <= 1


def test_auto_assign_counts_existing_load_and_keeps_existing_pairs():
    projects = [Project(key=1, organization="a", recommending_organization="x")]
    pool = reviewers(("r1", {"p"}), ("r2", {"p"}), ("r3", {"p"}))
    # r1 is already on the project, r2 is busy elsewhere: r3 is chosen.
    result = assignment.auto_assign(projects=projects, reviewers=pool, k=2, existing=[(1, "r1"), (9, "r2")])
    assert result.pairs == [(1, "r3")]


def test_auto_assign_reports_projects_it_cannot_complete():
    projects = [Project(key=1, organization="a", recommending_organization="x")]
    pool = reviewers(("r1", {"x"}), ("r2", {"p"}))
    result = assignment.auto_assign(projects=projects, reviewers=pool, k=2)
    assert result.pairs == [(1, "r2")]
    assert result.short == [1]
