#!/usr/bin/env bash
# Prepare the peer quiz app (tomwalker/django_quiz) for the benchmark, beside ours:
#   bash bench/peer/prepare.sh OUT_DIR
# its venv (kept when already installed), its pinned source, a fresh database with the quiz and the
# signed-in users, and OUT_DIR/peer_question.lua and OUT_DIR/peer_answering.lua for wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?usage: bash bench/peer/prepare.sh OUT_DIR}

PEER_COMMIT=63e61cb57868c33c3c5bd0c0f360b12ae19d367f  # tomwalker/django_quiz master, 2019-03-07 (release 0.5.1)
PEER_MIRROR=${PEER_MIRROR:-/work/.mirror/tomwalker+django_quiz/repo}  # the search tool's fetch of the repo
PEER_PYTHON=${PEER_PYTHON:-/root/.pyenv/versions/3.9.18/bin/python}  # Django 2.2 runs on 3.5 to 3.9
export PEER_WORK=${PEER_WORK:-$PWD/.bench-peer}
export PEER_DB_NAME=${PEER_DB_NAME:-edtech_bench_peer} PEER_DB_HOST=${PEER_DB_HOST:-127.0.0.1}
export PEER_DB_PORT=${PEER_DB_PORT:-5432} PEER_DB_USER=${PEER_DB_USER:-postgres}
VENV=$PEER_WORK/venv SRC=$PEER_WORK/src
mkdir -p "$PEER_WORK" "$OUT"

# The venv, installed again only when requirements.txt changed.
if ! cmp -s bench/peer/requirements.txt "$VENV/.requirements.txt"; then
    echo "== peer: venv ($("$PEER_PYTHON" --version))"
    rm -rf "$VENV"
    "$PEER_PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install -q --no-deps -r bench/peer/requirements.txt
    "$VENV/bin/pip" check
    cp bench/peer/requirements.txt "$VENV/.requirements.txt"
fi

# The pinned source, unpacked from the mirror (no change to it).
if [ "$(cat "$SRC/.commit" 2>/dev/null)" != "$PEER_COMMIT" ]; then
    echo "== peer: source at $PEER_COMMIT"
    git --git-dir="$PEER_MIRROR" cat-file -e "$PEER_COMMIT^{commit}" \
        || { echo "peer: commit $PEER_COMMIT missing from $PEER_MIRROR (fetch github:tomwalker/django_quiz)" >&2; exit 1; }
    rm -rf "$SRC"
    mkdir -p "$SRC"
    git --git-dir="$PEER_MIRROR" archive "$PEER_COMMIT" | tar -x -C "$SRC"
    echo "$PEER_COMMIT" > "$SRC/.commit"
fi

# A secret key of its own, kept for serve.sh: the sessions made below are signed with it.
[ -s "$PEER_WORK/secret_key" ] || "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' \
    > "$PEER_WORK/secret_key"

echo "== peer: database $PEER_DB_NAME, quiz, users, sessions"
PG="postgresql://$PEER_DB_USER@$PEER_DB_HOST:$PEER_DB_PORT"
psql "$PG/postgres" -qtAc "DROP DATABASE IF EXISTS $PEER_DB_NAME WITH (FORCE)"
psql "$PG/postgres" -qtAc "CREATE DATABASE $PEER_DB_NAME"
export PYTHONPATH="$SRC:$PWD/bench/peer" DJANGO_SETTINGS_MODULE=peer_settings PYTHONDONTWRITEBYTECODE=1
"$VENV/bin/python" -W ignore "$VENV/bin/django-admin" migrate --no-input -v 0
"$VENV/bin/python" -W ignore bench/peer/load.py "$OUT"
