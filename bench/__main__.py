"""`python -m bench [--quick]`: every benchmark, a table, and bench/results.json.

Each figure is set against the stack's own limit measured in the same run: the webhook against the
same-work floor (bench/floor.py: Flask + psycopg doing a conversational step's least durable work,
no ORM) and a bare Flask endpoint, under the same gunicorn settings; the fan-out against a client
that only sends to the same fake; the tally against a bare count scan of the same rows. The full
run adds a 10-minute soak of the webhook.
"""

from __future__ import annotations

import argparse
import json
import platform
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import ballot_close, hall, outbox_throughput, webhook
from tests.fakes import FakeMessengers

HERE = Path(__file__).parent
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
# The webhook against the same-work floor (bench/floor.py, PostgreSQL; issue 21). Maeul ÷ the
# bare endpoint is still reported, with no target: a bare endpoint does no durable work.
TARGETS = {"webhook_floor_ratio": 0.7, "menu_floor_ratio": 0.85, "webhook_p99_ms": 50,
           "open_loop_p99_ms": 20, "fanout_per_s": 1000, "sealed_count_100k_s": 10.0,
           "worker_rss_mb": 150}
SOAK_SECONDS = 600


def postgres_reachable() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", 5432)) == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run (a few minutes)")
    parser.add_argument("--pg", default=PG_DEFAULT, help="PostgreSQL server URL")
    parser.add_argument("--soak", type=int, default=None,
                        help=f"seconds of the webhook soak (full run: {SOAK_SECONDS}; quick: 0)")
    args = parser.parse_args(argv)
    quick = args.quick
    pg = args.pg if postgres_reachable() else None
    started = time.monotonic()
    results: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "quick": quick,
        "machine": f"{platform.node()} {platform.machine()} {platform.python_version()}",
        "targets": TARGETS}

    seconds, users = (8, 4000) if quick else (30, 12000)
    for name, url in (("sqlite", None), ("postgresql", pg)):
        if name == "postgresql" and url is None:
            continue
        with ballot_close.scratch_database(url) as db_url:
            results[f"webhook_{name}"] = webhook.measure(db_url, seconds, users)
    soak = args.soak if args.soak is not None else (0 if quick else SOAK_SECONDS)
    if soak:
        with ballot_close.scratch_database(pg) as db_url:
            results["soak"] = {**webhook.soak(db_url, soak),
                               "database": "postgresql" if pg else "sqlite"}

    count = 20_000 if quick else 100_000
    fake = FakeMessengers().start()
    try:
        limit = outbox_throughput.bare(fake, "kakao", count)
        with ballot_close.scratch_database(pg) as db_url:
            rate = outbox_throughput.through_outbox(db_url, fake, "kakao", count)
    finally:
        fake.stop()
    results["fanout"] = {"messages": count, "per_s": rate, "fake_limit_per_s": limit,
                         "ratio": rate / limit, "database": "postgresql" if pg else "sqlite"}

    with ballot_close.scratch_database(pg) as db_url:
        results["hall"] = {**hall.measure(db_url, 300, 30.0 if quick else 120.0),
                           "database": "postgresql" if pg else "sqlite"}

    voters = 100_000 if quick else 1_000_000
    with ballot_close.scratch_database(pg) as db_url:
        results["tally"] = {**ballot_close.measure(db_url, voters),
                            "database": "postgresql" if pg else "sqlite"}
    results["seconds"] = time.monotonic() - started
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(table(results))
    return 0


def table(results: dict) -> str:
    lines = [f"Maeul bench {results['date']} ({'quick' if results['quick'] else 'full'}), "
             f"{results['machine']}", ""]
    for name in ("sqlite", "postgresql"):
        w = results.get(f"webhook_{name}")
        if w:
            lines += _webhook_lines(name, w)
    if results.get("soak"):
        k = results["soak"]
        lines.append(f"soak ({k['database']}) {k['seconds']} s: {k['rps_min']:.0f}–"
                     f"{k['rps_max']:.0f} req/s a minute, p99 at most {k['p99_max_ms']:.1f} ms, "
                     f"{k['errors']} errors, worker memory {k['rss_first_mb']:.0f} → "
                     f"{k['rss_last_mb']:.0f} MB (target < 150)")
    f = results["fanout"]
    lines.append(f"fan-out {f['messages']:,} Kakao pushes: {f['per_s']:,.0f}/s, fake's own "
                 f"limit {f['fake_limit_per_s']:,.0f}/s, ratio {f['ratio']:.2f} (target ≥ 1,000/s)")
    h = results["hall"]
    lines.append(f"one hall ({h['database']}): {h['residents']} residents over {h['window_s']:.0f} s,"
                 f" {h['requests']} webhook requests, p99 {h['p99_ms']:.1f} ms, errors "
                 f"{len(h['errors'])}, recorded {sum(h['participations'].values())} once each")
    t = results["tally"]
    lines.append(f"sealed count {t['voters']:,} votes ({t['database']}): {t['close_s']:.2f} s = "
                 f"{t['sealed_over_plain']:.1f}× the plain close of before "
                 f"({t['plain_close_s']:.2f} s), {t['close_over_scan']:.1f}× a bare count scan "
                 f"(target < 10 s for 100,000)")
    lines.append(f"took {results['seconds']:.0f} s")
    return "\n".join(lines)


def _row(name: str, run: dict) -> str:
    return (f"  {name:22s} {run['rps']:7.0f} req/s  p50 {run['p50_ms']:6.1f} ms  "
            f"p99 {run['p99_ms']:6.1f} ms  errors {run['errors']}")


def _webhook_lines(name: str, w: dict) -> list[str]:
    lines = [f"webhook, {name} (gunicorn, 2 sync workers; {w['maeul']['client']}, 32 connections):",
             _row("Maeul, 투표 → 1 → 1", w["maeul"]), _row("Maeul, 메뉴 only", w["menu_only"])]
    if "floor" in w:
        lines += [_row("floor, same script", w["floor"]), _row("floor, 메뉴 only", w["floor_menu"])]
    lines.append(_row("bare Flask", w["bare"]))
    if "floor" in w:
        lines.append(f"  Maeul ÷ floor: full path {w['floor_ratio']:.2f} (target ≥ 0.7), menu "
                     f"{w['menu_floor_ratio']:.2f} (target ≥ 0.85); p99 "
                     f"{w['maeul']['p99_ms']:.1f} ms (target < 50)")
    lines.append(f"  Maeul ÷ bare Flask: {w['ratio']:.2f} (no target: it does no durable work)")
    o = w["open_loop"]
    lines.append(f"  open loop at {o['offered_rps']:.0f} req/s offered (half the maximum; "
                 f"{o['client']}): p50 {o['p50_ms']:.1f} ms, p99 {o['p99_ms']:.1f} ms "
                 f"(target < 20), errors {o['errors']}")
    lines.append(f"  worker memory after {w['requests_served']:,} requests: "
                 f"{', '.join(f'{x:.0f} MB' for x in w['worker_rss_mb'])} (target < 150)")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
