"""Which reviewer scores which project (pure where possible).

A reviewer may not score a project of their own organisation or of its recommending organisation. A
reviewer's organisations are those of their reviewer memberships.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Project:
    key: object
    organization: object
    recommending_organization: object | None


@dataclass(frozen=True)
class Reviewer:
    key: object
    organizations: frozenset


def is_conflicted(*, reviewer: Reviewer, project: Project) -> bool:
    """Whether ``reviewer`` belongs to the project's own organisation or its recommending organisation."""
    own = {project.organization, project.recommending_organization} - {None}
    return bool(own & set(reviewer.organizations))


@dataclass
class AutoAssignResult:
    #: ``(project key, reviewer key)`` pairs to create.
    pairs: list
    #: Project keys that could not reach ``k`` reviewers (too few reviewers without a conflict).
    short: list


def auto_assign(
    *,
    projects: Sequence[Project],
    reviewers: Sequence[Reviewer],
    k: int,
    existing: Iterable[tuple[object, object]] = (),
) -> AutoAssignResult:
    """Complete every project to ``k`` reviewers, balancing the load.

    Each new reviewer for a project is the one without a conflict, not yet on it, with the fewest assignments
    so far (existing ones included); ties go to the reviewer listed first. Projects are served in the order
    given, one reviewer at a time round-robin, so an early project does not take all the light reviewers.
    Nothing is removed: a project that already has ``k`` or more keeps them.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    on_project = {project.key: set() for project in projects}
    load: dict[object, int] = {reviewer.key: 0 for reviewer in reviewers}
    for project_key, reviewer_key in existing:
        if reviewer_key in load:
            load[reviewer_key] += 1
        if project_key in on_project:
            on_project[project_key].add(reviewer_key)
    order = {reviewer.key: position for position, reviewer in enumerate(reviewers)}
    pairs, short = [], []
    stuck = set()
    for _round in range(k):
        for project in projects:
            if project.key in stuck or len(on_project[project.key]) >= k:
                continue
            candidates = [
                reviewer
                for reviewer in reviewers
                if reviewer.key not in on_project[project.key] and not is_conflicted(reviewer=reviewer, project=project)
            ]
            if not candidates:
                stuck.add(project.key)
                continue
            chosen = min(candidates, key=lambda r: (load[r.key], order[r.key]))
            pairs.append((project.key, chosen.key))
            on_project[project.key].add(chosen.key)
            load[chosen.key] += 1
    short = [project.key for project in projects if len(on_project[project.key]) < k]
    return AutoAssignResult(pairs=pairs, short=short)
