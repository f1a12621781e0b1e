"""`/healthz` for load balancers and monitoring: can this instance reach its database and cache?

The database is needed for every page: without it the answer is 503 ("failed"), so a load balancer
takes the instance out. The cache only makes pages faster (`csa_tracker.cache`): without it every page
still works, so the answer stays 200 and names the cache "degraded" for monitoring to report.
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .cache import cache_answers

log = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure to reach the database is the answer, not an error of ours
        log.exception("health check database failed")
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 with {"database": "ok", "cache": "ok" or "degraded"}, or 503 with "database": "failed";
    never any data."""
    database = _database_ok()
    report = {"database": "ok" if database else "failed", "cache": "ok" if cache_answers() else "degraded"}
    return JsonResponse(report, status=200 if database else 503)
