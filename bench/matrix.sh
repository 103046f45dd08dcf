#!/usr/bin/env bash
# `make bench-matrix`: the same benchmark under several gunicorn shapes (workers × threads), a few
# pages each, to choose the defaults in gunicorn.conf.py. Writes test-artifacts/bench/matrix.jsonl,
# which the next `make bench` report includes.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=test-artifacts/bench
mkdir -p "$OUT"
rm -f "$OUT/matrix.jsonl"
shapes=${BENCH_SHAPES:-2x4 4x1 4x2}
for shape in $shapes; do
    workers=${shape%x*} threads=${shape#*x}
    WEB_CONCURRENCY=$workers GUNICORN_THREADS=$threads BENCH_SKIP_MEASURE=1 BENCH_DURATION=${BENCH_DURATION:-8s} \
        BENCH_OUT=test-artifacts/bench-matrix BENCH_PAGES="bare dashboard chapter_map question answering" \
        bash bench/run.sh | grep '^{"page"' | sed "s/^{/{\"workers\": $workers, \"threads\": $threads, /" \
        | tee -a "$OUT/matrix.jsonl"
done
