"""Search inside one partnership: actions, progress text, indicators and people.

Every group is read through its model's access rule (`visible_to`), so a partner finds published
progress and their own organisations' drafts, never another organisation's. On PostgreSQL the words are
matched with full-text search (English stemming, `websearch` syntax: "quoted phrases", -excluded); on
SQLite every word must appear somewhere in the searched fields (case-insensitive).
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.models import Membership
from csa_tracker.text import normalise_text
from indicators.models import Indicator

LIMIT = 20  # results per group; the page says when a group has more
MAX_QUERY = 200  # characters read from the search box
SNIPPET = 90  # characters either side of the first matching word


@dataclass
class Group:
    title: str
    items: list = field(default_factory=list)
    more: bool = False  # more than LIMIT matched


@dataclass
class Results:
    query: str
    actions: Group
    updates: Group
    indicators: Group
    people: Group

    @property
    def groups(self) -> list[Group]:
        return [self.actions, self.updates, self.indicators, self.people]

    @property
    def count(self) -> int:
        return sum(len(group.items) for group in self.groups)


def words(query: str) -> list[str]:
    return [word for word in re.split(r"\s+", query.strip().strip('"')) if word and word != "-"][:10]


def _matching(queryset, query: str, fields: list[str]):
    """`queryset` narrowed to rows matching `query` in any of `fields`, best first on PostgreSQL."""
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="english")
        search = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.annotate(search_document=vector, search_rank=SearchRank(vector, search))
            .filter(search_document=search)
            .order_by("-search_rank", "pk")
        )
    every_word = [reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)) for word in words(query)]
    return queryset.filter(reduce(and_, every_word)).order_by("pk") if every_word else queryset.none()


def _first(queryset) -> tuple[list, bool]:
    found = list(queryset[: LIMIT + 1])
    return found[:LIMIT], len(found) > LIMIT


def snippet(text: str, query: str) -> str:
    """A short extract of `text` around the first word of `query` it contains (plain text)."""
    flat = " ".join(text.split())
    lowered = flat.lower()
    starts = [lowered.find(word.lower()) for word in words(query)]
    start = min((found for found in starts if found >= 0), default=0)
    left, right = max(0, start - SNIPPET), min(len(flat), start + SNIPPET)
    return ("…" if left else "") + flat[left:right] + ("…" if right < len(flat) else "")


def search_partnership(*, access, query: str) -> Results:
    """Up to LIMIT matches per group for `query` within `access.partnership`, each group through its
    model's `visible_to(access)`. An empty query returns empty groups (no query is run)."""
    query = normalise_text(query).strip()[:MAX_QUERY]  # a pasted "ﬁnancial" finds "financial", as stored
    results = Results(
        query=query,
        actions=Group("Actions"),
        updates=Group("Progress updates"),
        indicators=Group("Indicators"),
        people=Group("People"),
    )
    if not words(query):
        return results
    actions = Action.objects.visible_to(access).select_related("plan_priority__plan", "status")
    results.actions.items, results.actions.more = _first(_matching(actions, query, ["wording"]))
    updates = ProgressUpdate.objects.visible_to(access).select_related("action", "cycle", "organisation")
    found, results.updates.more = _first(_matching(updates, query, ["text"]))
    results.updates.items = [(update, snippet(update.text, query)) for update in found]
    indicators = Indicator.objects.visible_to(access).select_related("geography")
    results.indicators.items, results.indicators.more = _first(_matching(indicators, query, ["name", "source"]))
    members = Membership.objects.filter(partnership=access.partnership).select_related("user", "organisation")
    found, results.people.more = _first(
        _matching(members, query, ["user__first_name", "user__last_name", "user__username", "organisation__name"])
    )
    results.people.items = _people(found)
    return results


def _people(memberships) -> list[dict]:
    """One row per person: their organisations and roles in this partnership."""
    people = {}
    for membership in memberships:
        person = people.setdefault(membership.user_id, {"user": membership.user, "roles": set(), "orgs": set()})
        person["roles"].add(membership.get_role_display())
        person["orgs"].add(membership.organisation.name)
    return [
        {"user": person["user"], "roles": sorted(person["roles"]), "organisations": sorted(person["orgs"])}
        for person in people.values()
    ]
