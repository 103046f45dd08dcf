"""Write BENCHMARKS.md from a bench run's files: wrk.jsonl, measure.json, generate.txt."""

import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

# The targets (issue: performance at scale): throughput as a share of the bare view, warm cache.
RATIO_TARGETS = {"dashboard": 0.5, "chapter_map": 0.5, "question": 0.5, "answering": 0.25}
P99_TARGET_MS = 100
COLD_TARGETS_MS = {"dashboard": 50, "content_chapters": 500, "content_questions_one_chapter": 500}
LEADERBOARD_QUERY_TARGET_MS = 100
# The class grid (issue: classes): 40 children x 25 assignments, p95.
P95_TARGETS_MS = {"class_grid": 150}

LABELS = {
    "bare": "bare view (small template, no database)",
    "dashboard": "dashboard",
    "chapter_map": "chapter map",
    "chapter": "chapter page",
    "question": "question page",
    "answering": "answering (GET question + POST answer)",
    "leaderboard": "leaderboard",
    "parent_child": "parent's child page",
    "content_analytics": "staff content analytics (chapters + questions)",
    "class_grid": "teacher's class grid (40 children x 25 assignments)",
}


def command(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False, timeout=10).stdout.strip()  # noqa: S603
    except OSError:
        return "?"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_kb // 1024 // 1024} GiB, {platform.system()} {platform.release()}; "
        f"{command('psql', '--version')}; {command('redis-server', '--version').split(' sha=')[0]}; "
        f"Python {platform.python_version()}; everything (server, database, cache, wrk) on this one machine"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def main(out: Path) -> None:
    runs = {row["page"]: row for row in map(json.loads, (out / "wrk.jsonl").read_text().splitlines())}
    measured = json.loads((out / "measure.json").read_text())
    pages = measured["pages"]
    generate = (out / "generate.txt").read_text().strip() if (out / "generate.txt").exists() else "(reused)"
    bare_rps = runs["bare"]["requests"] / runs["bare"]["seconds"] if "bare" in runs else None

    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `make bench` (bench/run.sh).",
        "",
        f"- Machine: {machine()}.",
        f"- Server: gunicorn, {os.environ.get('WEB_CONCURRENCY')} workers × {os.environ.get('GUNICORN_THREADS')}"
        f" threads, DEBUG off, database pool max {os.environ.get('DB_POOL_MAX_SIZE')}; Redis cache.",
        f"- Load: wrk, 2 threads, {os.environ.get('BENCH_CONNECTIONS', '32')} connections,"
        f" {os.environ.get('BENCH_DURATION', '15s')} per page after every view of the page was made once (warm"
        " cache), requests spread"
        " over 400 signed-in students (100 parents for the child page).",
        f"- Dataset: {measured['dataset']['students']:,} students, {measured['dataset']['questions']:,} questions,"
        f" about {measured['dataset']['submissions']:,} answers. Generation: {generate.splitlines()[-2:]}",
        "",
        "## Throughput and latency (warm cache)",
        "",
        "| page | requests/s | share of bare view | p50 ms | p95 ms | p99 ms | errors | SQL queries (warm / cold) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page, run in runs.items():
        rps = run["requests"] / run["seconds"]
        share = f"{rps / bare_rps:.0%}" if bare_rps else "—"
        queries = pages.get(page)
        q = f"{queries['queries_warm_max']} / {queries['queries_cold_max']}" if queries else "—"
        lines.append(
            f"| {LABELS.get(page, page)} | {rps:,.0f} | {share} | {run['p50']:.1f} | {run['p95']:.1f} |"
            f" {run['p99']:.1f} | {run['errors']} | {q} |"
        )
    lines += ["", "## Targets", "", "| target | measured | |", "|---|---|---|"]
    for page, target in RATIO_TARGETS.items():
        if page in runs and bare_rps:
            share = runs[page]["requests"] / runs[page]["seconds"] / bare_rps
            lines.append(
                f"| {LABELS[page]} ≥ {target:.0%} of the bare view | {share:.0%} | {verdict(share >= target)} |"
            )
    for page, run in runs.items():
        if page != "bare":
            lines.append(
                f"| {LABELS.get(page, page)} p99 < {P99_TARGET_MS} ms | {run['p99']:.1f} ms |"
                f" {verdict(run['p99'] < P99_TARGET_MS)} |"
            )
    for page, target in P95_TARGETS_MS.items():
        if page in runs:
            p95 = runs[page]["p95"]
            lines.append(f"| {LABELS[page]} p95 < {target} ms | {p95:.1f} ms | {verdict(p95 < target)} |")
    for page, target in COLD_TARGETS_MS.items():
        if page in pages:
            cold = pages[page]["cold_p50_ms"]
            lines.append(f"| {page} with a cold cache < {target} ms (median) | {cold} ms | {verdict(cold < target)} |")
    leaderboard = measured["leaderboard_query_ms"]
    lines.append(
        f"| leaderboard query < {LEADERBOARD_QUERY_TARGET_MS} ms | {leaderboard:.1f} ms |"
        f" {verdict(leaderboard < LEADERBOARD_QUERY_TARGET_MS)} |"
    )
    lines += [
        "",
        "## Single requests in-process (Django test client, same database and Redis)",
        "",
        "| page | cold p50 ms | cold p95 ms | warm p50 ms | SQL queries warm / cold |",
        "|---|---:|---:|---:|---:|",
    ]
    for page, entry in pages.items():
        lines.append(
            f"| {page} | {entry['cold_p50_ms']} | {entry['cold_p95_ms']} | {entry['warm_p50_ms']} |"
            f" {entry['queries_warm_max']} / {entry['queries_cold_max']} |"
        )
    matrix = out / "matrix.jsonl"
    if matrix.exists():
        lines += [
            "",
            "## Server shape (`make bench-matrix`, 8 s per page, warm cache)",
            "",
            "| workers × threads | page | requests/s | p50 ms | p99 ms |",
            "|---|---|---:|---:|---:|",
        ]
        for row in map(json.loads, matrix.read_text().splitlines()):
            lines.append(
                f"| {row['workers']} × {row['threads']} | {LABELS.get(row['page'], row['page'])} |"
                f" {row['requests'] / row['seconds']:,.0f} | {row['p50']:.1f} | {row['p99']:.1f} |"
            )
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
