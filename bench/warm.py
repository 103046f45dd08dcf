"""Warm the cache the way a day of use would: every GET of a page's request list, once.

python bench/warm.py OUT_DIR PAGE PORT
"""

import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def get(port: int, request: dict) -> int:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{request['path']}", headers={"Cookie": request["cookie"]})
    with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310 - loopback only
        return response.status


def main(out: Path, page: str, port: int) -> None:
    requests = [r for r in json.loads((out / f"{page}.json").read_text()) if "body" not in r]
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda r: get(port, r), requests))
    bad = [s for s in statuses if s != 200]
    print(f"warmed {page}: {len(statuses)} requests, {len(bad)} not 200")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
