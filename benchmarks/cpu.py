"""CPU seconds spent by the server under load (the load test's CPU per request): the gunicorn processes
and, when the database is PostgreSQL on this machine, its server processes. Read from /proc: a process's
own time and the time of its children it has reaped (a gunicorn worker recycled after `--max-requests`
leaves its time to the master)."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _processes() -> dict[int, list[str]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None:
                found[int(entry.name)] = fields
    return found


def tree_seconds(root: int, processes: dict[int, list[str]] | None = None) -> float:
    """CPU seconds of `root` and every process below it, with the children they have reaped."""
    processes = processes if processes is not None else _processes()
    children: dict[int, list[int]] = {}
    for pid, fields in processes.items():
        children.setdefault(int(fields[1]), []).append(pid)  # field 4: the parent
    total, waiting = 0, [root]
    while waiting:
        pid = waiting.pop()
        fields = processes.get(pid)
        if fields is None:
            continue
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        waiting.extend(children.get(pid, []))
    return total / TICK


def postgres_seconds(processes: dict[int, list[str]] | None = None) -> float:
    """CPU seconds of PostgreSQL's server on this machine (its postmaster's tree); 0 when there is none."""
    processes = processes if processes is not None else _processes()
    roots = [
        pid for pid, fields in processes.items() if _name(pid) == "postgres" and _name(int(fields[1])) != "postgres"
    ]
    return sum(tree_seconds(root, processes) for root in roots)
