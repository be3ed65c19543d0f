"""GitHub teams: whether a login is an active member of an organisation's team."""

from __future__ import annotations

from gate.errors import GateError
from gate.github.client import GitHub
from gate.github.payloads import Membership
from gate.github.refusals import GitHubError
from gate.signoffs.owners import TeamLookup


def team_lookup(github: GitHub) -> TeamLookup:
    """Active membership of "org/slug" teams, read once per (team, login)."""
    cache: dict[tuple[str, str], bool] = {}
    readable: dict[str, bool] = {}

    def lookup(team: str, login: str) -> bool:
        key = (team.lower(), login.lower())
        if key not in cache:
            cache[key] = _is_active_member(github, team, login, readable)
        return cache[key]

    return lookup


def _is_active_member(github: GitHub, team: str, login: str, readable: dict[str, bool]) -> bool:
    org, _, slug = team.partition("/")
    try:
        membership = github.get(f"/orgs/{org}/teams/{slug}/memberships/{login}")
    except GitHubError as error:
        if error.status != 404:
            raise
        # GitHub answers 404 both for "not a member" and for "this token cannot see the team";
        # the team itself tells them apart.
        if team not in readable:
            readable[team] = _team_visible(github, org, slug)
        if readable[team]:
            return False
        raise GateError(
            f"cannot read the members of the GitHub team {team} (404), which owns an affected"
            " system: the token cannot see the team, or it does not exist. The default"
            " GITHUB_TOKEN can never read teams; give the action `teams-token:` a GitHub App"
            " installation token or a fine-grained personal access token with organization"
            " Members: read, or list the team's members in the map"
        ) from None
    return Membership.from_dict(membership, login=login, team=team).active


def _team_visible(github: GitHub, org: str, slug: str) -> bool:
    try:
        github.get(f"/orgs/{org}/teams/{slug}")
    except GitHubError as error:
        if error.status in (403, 404):
            return False
        raise
    return True
