"""`/healthz` for load balancers and monitoring: can this instance reach its database and cache?"""

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_ok() -> bool:
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return found == value


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 with each check "ok", or 503 naming what failed; never any data."""
    report = {}
    for name, check in (("database", _database_ok), ("cache", _cache_ok)):
        try:
            report[name] = "ok" if check() else "failed"
        except Exception:  # any failure to reach a backend is the answer, not an error of ours
            log.exception("health check %s failed", name)
            report[name] = "failed"
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse(report, status=200 if healthy else 503)
