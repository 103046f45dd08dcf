"""Summarise a locust run: requests/s and latency percentiles per page type, and the 5xx count.

Usage: python loadtest/report.py <results.json>

Reads the final statistics the locustfile wrote when locust stopped (the numbers locust
prints in its own summary) and prints them as a Markdown table, with the responses by
status and any failure. Exits with status 1 when any response was a 5xx.
"""

import json
import sys
from pathlib import Path


def main(results_file: str) -> int:
    results = json.loads(Path(results_file).read_text())

    print("| Page | Requests | Failures | req/s | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in [*sorted(results["pages"], key=lambda r: (r["name"], r["method"])), results["total"]]:
        label = f"{row['method']} `{row['name']}`" if row["method"] else "**All requests**"
        print(
            f"| {label} | {row['requests']} | {row['failures']} | {row['rps']:.1f} "
            f"| {row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | {row['max']} |"
        )

    by_status: dict[str, int] = {}
    server_errors: dict[str, int] = {}
    for name, counts in results["statuses"].items():
        for status, count in counts.items():
            by_status[status] = by_status.get(status, 0) + count
            if status.startswith("5"):
                server_errors[f"{name} → {status}"] = count
    print()
    print("Responses by status:", ", ".join(f"{status}: {count}" for status, count in sorted(by_status.items())))
    for error in results["errors"]:
        print(f"Failure: {error['method']} {error['name']}: {error['error']} × {error['occurrences']}")

    total_5xx = sum(server_errors.values())
    print(f"5xx responses: {total_5xx}")
    for where, count in sorted(server_errors.items()):
        print(f"  {where}: {count}")
    return 1 if total_5xx else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
