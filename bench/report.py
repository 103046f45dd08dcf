"""Write BENCHMARKS.md from a bench run's files: wrk.jsonl, measure.json, generate.txt."""

import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

# The targets (the performance issue): throughput as a share of the bare view outside the project (the
# yardstick, bench/bare_site), warm cache, 32 connections.
RATIO_TARGETS = {
    "floor": 0.40,
    "dashboard": 0.20,
    "chapter_map": 0.20,
    "chapter": 0.15,
    "question": 0.15,
    "parent_child": 0.15,
    "class_grid": 0.15,
}
# Against the peer (bench/peer), same run: our question page and our answers per second.
PEER_TARGETS = {"question": ("peer_question", 1.5), "answers": ("peer_answering", 1.25)}
P99_TARGET_MS = 150
COLD_TARGETS_MS = {"dashboard": 50, "content_chapters": 500, "content_questions_one_chapter": 500}
LEADERBOARD_QUERY_TARGET_MS = 100
# The class grid (the classes issue): 40 children x 25 assignments, p95.
P95_TARGETS_MS = {"class_grid": 150}
# Requests per answer in each answering script: ours GETs the question and POSTs the answer (the result comes
# back in the POST's response, as htmx asks for it); the peer's one POST records the answer and renders the
# next question.
REQUESTS_PER_ANSWER = {"answering": 2, "peer_answering": 1}

LABELS = {
    "bare_site": "**yardstick:** bare Django view outside the project (bench/bare_site)",
    "bare": "bare view inside the project (anonymous, small template, no database)",
    "floor": "the floor: an empty signed-in page through the whole stack",
    "peer_question": "**peer:** django_quiz question page (GET)",
    "peer_answering": "**peer:** django_quiz answering (one POST)",
    "dashboard": "dashboard",
    "chapter_map": "chapter map",
    "chapter": "chapter page",
    "question": "question page",
    "answering": "answering (GET question + POST answer, result in the response)",
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


def rps_of(run: dict) -> float:
    return run["requests"] / run["seconds"]


def answers_of(runs: dict, page: str) -> float | None:
    return rps_of(runs[page]) / REQUESTS_PER_ANSWER[page] if page in runs else None


def median_rounds(rows: list[dict]) -> dict[str, dict]:
    """Per page, in the order first run: its median round by requests/s, with the errors of all its rounds."""
    by_page: dict[str, list[dict]] = {}
    for row in rows:
        by_page.setdefault(row["page"], []).append(row)
    runs = {}
    for page, page_rows in by_page.items():
        ordered = sorted(page_rows, key=rps_of)
        median = dict(ordered[(len(ordered) - 1) // 2])
        median["errors"] = sum(row["errors"] for row in page_rows)
        median["rounds"] = len(page_rows)
        runs[page] = median
    return runs


def main(out: Path) -> None:
    runs = median_rounds([json.loads(line) for line in (out / "wrk.jsonl").read_text().splitlines()])
    measured = json.loads((out / "measure.json").read_text())
    pages = measured["pages"]
    generate = (out / "generate.txt").read_text().strip() if (out / "generate.txt").exists() else "(reused)"
    bare_rps = rps_of(runs["bare_site"]) if "bare_site" in runs else None
    rounds = max((run["rounds"] for run in runs.values()), default=1)
    # When the last page was measured (the report may be written again later from the same files).
    measured_at = datetime.datetime.fromtimestamp((out / "wrk.jsonl").stat().st_mtime, datetime.UTC)

    lines = [
        "# Benchmarks",
        "",
        f"Measured {measured_at:%Y-%m-%d %H:%M} UTC by `make bench` (bench/run.sh).",
        "",
        f"- Machine: {machine()}.",
        f"- Server: gunicorn, {os.environ.get('WEB_CONCURRENCY')} workers × {os.environ.get('GUNICORN_THREADS')}"
        f" threads ({os.environ.get('GUNICORN_WORKER_CONNECTIONS')} connections per worker), DEBUG off,"
        f" database pool max {os.environ.get('DB_POOL_MAX_SIZE')}; Redis cache.",
        f"- Load: wrk, 2 threads, {os.environ.get('BENCH_CONNECTIONS', '32')} connections,"
        f" {os.environ.get('BENCH_DURATION', '10s')} per page and round, {rounds} interleaved rounds (every page"
        " once per round; each row is the page's median round by requests/s, errors summed over the rounds),"
        " after every view of each page was made once (warm cache); requests spread over 400 signed-in"
        " students (100 parents for the child page, 5 teachers for the grid).",
        "- Share = requests/s over the yardstick's (a bare Django project outside ours, Django's default"
        " middleware, one view and a small template, same gunicorn shape). The peer, tomwalker/django_quiz"
        " (Django 2.2, its own venv, PostgreSQL, bench/peer), is served in the same shape in the same run.",
        f"- Dataset: {measured['dataset']['students']:,} students, {measured['dataset']['questions']:,} questions,"
        f" about {measured['dataset']['submissions']:,} answers. Generation: {generate.splitlines()[-2:]}",
        "",
        "## Throughput and latency (warm cache)",
        "",
        "| page | requests/s | share of bare view | p50 ms | p95 ms | p99 ms | errors | SQL queries (warm / cold) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page, run in runs.items():
        rps = rps_of(run)
        share = f"{rps / bare_rps:.3f}×" if bare_rps else "—"
        queries = pages.get(page)
        q = f"{queries['queries_warm_max']} / {queries['queries_cold_max']}" if queries else "—"
        lines.append(
            f"| {LABELS.get(page, page)} | {rps:,.0f} | {share} | {run['p50']:.1f} | {run['p95']:.1f} |"
            f" {run['p99']:.1f} | {run['errors']} | {q} |"
        )
    lines += ["", "## Targets", "", "| target | measured | |", "|---|---|---|"]
    for page, target in RATIO_TARGETS.items():
        if page in runs and bare_rps:
            ratio = rps_of(runs[page]) / bare_rps
            lines.append(
                f"| {LABELS[page]} ≥ {target:.2f}× the bare view | {ratio:.3f}× | {verdict(ratio >= target)} |"
            )
    for ours, (peer, target) in PEER_TARGETS.items():
        mine = answers_of(runs, "answering") if ours == "answers" else rps_of(runs[ours]) if ours in runs else None
        theirs = answers_of(runs, peer) if ours == "answers" else rps_of(runs[peer]) if peer in runs else None
        if mine and theirs:
            what = "our answers per second" if ours == "answers" else f"our {LABELS[ours]}"
            lines.append(
                f"| {what} ≥ {target}× the peer's ({mine:,.0f} vs {theirs:,.0f}/s) | {mine / theirs:.2f}× |"
                f" {verdict(mine / theirs >= target)} |"
            )
    for page, run in runs.items():
        if page not in ("bare", "bare_site") and not page.startswith("peer_"):
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
    # What the numbers above do not say: the profiles of the missed pages and what they would take, written
    # by hand after a run (bench/ANALYSIS.md, dated), kept with the figures.
    analysis = Path(__file__).resolve().parent / "ANALYSIS.md"
    if analysis.exists():
        lines += ["", analysis.read_text().rstrip()]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
