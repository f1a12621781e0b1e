"""The background worker's housekeeping: a job a stopped worker left half-done is put back in the queue,
so it runs again (every job is written to be safe to run twice: `reports.tasks`)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# A job still marked running after this long was left by a worker that stopped (on another machine too).
STALE_AFTER = timedelta(minutes=30)


def worker_id(pid: int | None = None) -> str:
    """This process's worker id: "<host>-<pid>" (at most 64 characters)."""
    return f"{socket.gethostname()[:50]}-{pid or os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_interrupted(*, alive: Callable[[int], bool] = _alive, stale_after: timedelta = STALE_AFTER) -> int:
    """Put back in the queue every job marked running whose worker on this machine is gone, or that has
    been running longer than `stale_after`; returns how many."""
    host = socket.gethostname()[:50]
    cutoff = timezone.now() - stale_after
    requeued = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        owner = result.worker_ids[-1] if result.worker_ids else ""
        name, _, pid = owner.rpartition("-")
        gone_here = name == host and pid.isdigit() and not alive(int(pid))
        if gone_here or (result.started_at is not None and result.started_at < cutoff):
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued += 1
    return requeued
