"""gunicorn settings for the web process (Procfile: --config python:bot.gunicorn_conf).

Prometheus metrics in multiprocess mode: every worker writes its counters into files under
PROMETHEUS_MULTIPROC_DIR and /metrics sums them (bot/metrics.py). The directory must be set
before a worker imports prometheus_client, so it is set here, in the master: the operator's
value, else a new temporary directory. At start the files of processes no longer running are
removed (a clock sharing the directory keeps its own); a worker that exits is marked dead so its
live gauges go.
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import Any

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="maeul-metrics-")
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

logger_class = "bot.logs.AccessLogger"

_PID = re.compile(r"_(\d+)\.db$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server: Any) -> None:
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    for name in os.listdir(folder):
        found = _PID.search(name)
        if found and not _alive(int(found.group(1))):
            os.remove(os.path.join(folder, name))


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
