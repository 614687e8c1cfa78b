"""The Procfile's web line, run as written, for tests of what production runs."""

from __future__ import annotations


def procfile_web(env: dict, log_path, port: int):  # noqa: ANN201
    """The Procfile's own web line, run as written with `env` on `port`, writing to `log_path`;
    returns the process once it accepts connections (stop it with terminate())."""
    import os
    import socket
    import subprocess
    import sys
    import time

    line = next(x for x in open("Procfile", encoding="utf-8") if x.startswith("web:"))
    full = {**os.environ, "PORT": str(port), "PYTHONPATH": os.getcwd(),
            "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}", **env}
    out = open(log_path, "wb")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(["bash", "-c", "exec " + line.split(":", 1)[1].strip()], env=full,
                            stdout=out, stderr=subprocess.STDOUT)
    out.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc
