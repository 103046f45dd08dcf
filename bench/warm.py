"""Warm the cache the way a day of use would: every GET of a page's request list, once.

python bench/warm.py OUT_DIR PAGE PORT

Redirects are not followed: a page that answers anything but 200 (a sign-in or second-factor redirect, an
error) stops the benchmark, since its numbers would measure something else.
"""

import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def get(port: int, request: dict) -> int:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{request['path']}", headers={"Cookie": request["cookie"]})
    try:
        with OPENER.open(req, timeout=30) as response:  # loopback only
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main(out: Path, page: str, port: int) -> None:
    requests = [r for r in json.loads((out / f"{page}.json").read_text()) if "body" not in r]
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda r: get(port, r), requests))
    bad = [s for s in statuses if s != 200]
    print(f"warmed {page}: {len(statuses)} requests, {len(bad)} not 200")
    if bad:
        sys.exit(f"bench: {page} answered {sorted(set(bad))} to some of its requests, not 200")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
