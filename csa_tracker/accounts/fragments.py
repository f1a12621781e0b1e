"""The rendered body of each work-in-progress page (the dashboards, the review queue, My actions, the
completeness board), cached per partnership, audience and generation (issue 26).

The key holds everything the body depends on: the partnership; its work generation (moved by every
audited change, `csa_tracker.audit.services.audit_record`, in the change's own transaction; for a
partner's own pages, the generations of their organisations' work and of the rest: `work_generation`)
and its figures generation; who is looking (what their roles let them do and the organisations they act for,
`policies.audience_key`, and the person themselves for pages with their own work on them); the day
(overdue follows the date); the page's query string; and anything else a page adds (`extra`). So a
change shows at once, and no partnership, role or organisation is ever served another's body.

A body is built only on a miss: views hand over a `build()` that makes the context, so a hit runs none
of its queries. The CSRF token is not cached: bodies are rendered with a placeholder that each response
replaces with its own token. What the build said to the reader (a message such as "That theme is not one of
this partnership's themes") is kept with the body and said again on every hit, since it answers the same query
string. With the cache unreachable the body is built every time (`csa_tracker.cache`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from csa_tracker.cache import MISSING, cache_get, cache_get_or_build, cache_set

from .policies import audience_key, sees_own_organisations_work_only

CSRF_PLACEHOLDER = "csa-fragment-csrf-token"
# Seconds an unread body may stay in the cache (memory housekeeping: a new generation never reads it).
UNUSED_BODY_SECONDS = 24 * 3600


def work_generation(access, *, own_work: bool = False) -> str:
    """The generation of the work a page shows: the partnership's (moved by every audited change); for
    a partner's own pages (`own_work`: their dashboard, My actions) read by someone who sees only their
    organisations' work in progress, the partnership's shared generation and their organisations' own
    (`csa_tracker.audit.services._work_changed`), so a submission for another organisation's action
    leaves their page in the cache (issue 26)."""
    partnership = access.partnership
    if own_work and sees_own_organisations_work_only(access):
        organisations = ",".join(f"{pk}.{generation}" for pk, generation in access.organisation_generations)
        return f"shared{partnership.shared_work_generation}:orgs{organisations}"
    return str(partnership.work_generation)


def kept_while_shared_work_unchanged(partnership, name: str, build: Callable[[], Any], *parts) -> Any:
    """`build()`'s value, kept per `partnership`, `name`, `parts` (what else it depends on: a plan, an
    audience) and the partnership's shared work generation: what no piece of partners' work changes (a
    plan's lead agencies, the theme options, a partner's actions, the indicators a person supplies). That
    generation is moved by every audited change but a progress update or a reading
    (`csa_tracker.audit.services._work_changed`), so a page rebuilt after a partner's submission reads
    the piece from the cache while any other change reads it again (issue 26: each cost a query and more
    to compile than to run). The value must not depend on the day or the person, nor on what a progress
    update or a reading changes (an action's status or state). The cache not answering means building it."""
    key = ":".join(("kept", name, str(partnership.pk), str(partnership.shared_work_generation), *map(str, parts)))
    return cache_get_or_build(key, build, UNUSED_BODY_SECONDS)


def shared_piece(access, name: str, build: Callable[[], Any], *parts) -> Any:
    """`kept_while_shared_work_unchanged` for what depends on who is looking (roles and organisations,
    `policies.audience_key`) and on `parts`: the indicators a person supplies, the governing group's
    requests made of their organisations, the actions of a plan they may read; so another page or sort
    of the same list, or the same page for another person of the same organisations, reads it from the
    cache too."""
    who = audience_key(access, organisations=True)
    return kept_while_shared_work_unchanged(access.partnership, name, build, who, *parts)


def fragment_key(request, page: str, *, per_person: bool, own_work: bool = False, extra: tuple = ()) -> str:
    """The cache key of `page`'s body for this request (see the module's docstring; `own_work`:
    `work_generation`)."""
    access = request.access
    partnership = access.partnership
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:16]
    who = audience_key(access, organisations=True) + (f":user{access.user.pk}" if per_person else "")
    parts = (
        page,
        partnership.pk,
        work_generation(access, own_work=own_work),
        partnership.figures_generation,
        who,
        timezone.localdate().isoformat(),
        query,
        *extra,
    )
    return "body:" + ":".join(str(part) for part in parts)


def cached_body(
    request,
    *,
    page: str,
    template: str,
    build: Callable[[], dict | HttpResponse],
    per_person=False,
    own_work=False,
    extra=(),
) -> SafeString | HttpResponse:
    """The body of `page`: from the cache, or rendered from `template` with `build()`'s context (and
    stored). `build` may return a response instead (a page with nothing to show yet): it is returned
    as it is and nothing is stored. `own_work`: a partner's own page, showing only the work of their
    organisations (`work_generation`)."""
    key = (
        fragment_key(request, page, per_person=per_person, own_work=own_work, extra=extra)
        if settings.CSA_FRAGMENT_CACHE
        else ""
    )
    found = cache_get(key) if key else MISSING  # the cache unreachable is a miss (csa_tracker.cache)
    if found is MISSING:
        said = messages.get_messages(request)
        said_before = len(said)  # counting reads none (reading them would drop the earlier page's on a redirect)
        context = build()
        if isinstance(context, HttpResponse):
            return context
        body = str(render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request))
        if key:
            # Read only now, as the page that shows them is being made (they are still shown).
            new = [(message.level, str(message.message), message.extra_tags) for message in said][said_before:]
            cache_set(key, (body, new), timeout=UNUSED_BODY_SECONDS)
    else:
        body, said = found
        for level, text, tags in said:
            messages.add_message(request, level, text, extra_tags=tags)
    return mark_safe(body.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - our own render
