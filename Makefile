# The README's commands. Python comes from .python-version (pyenv) when available.
PYTHON_BOOT ?= $(shell pyenv which python 2>/dev/null || command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

# Tests run against the real PostgreSQL and Redis of the machine.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/edtech
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

.PHONY: run test lint check-deploy check-stack system-packages venv clean loadtest backup restore bench bench-matrix

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON_BOOT) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 13))' 2>/dev/null || \
		{ echo "make: Python 3.13 is needed (.python-version; e.g. pyenv install 3.13), found: $$($(PYTHON_BOOT) --version 2>&1)" >&2; exit 1; }
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# Debian packages the tests use: Chromium (the browser tests), nginx and envsubst (the stack tests and
# the nginx config check). Installed when missing if we are root; otherwise one line says what to install.
# Node.js 20.19 or later runs dclint (npm); Debian 12's own nodejs (18) is too old for it.
DEBIAN_PACKAGES := chromium:/usr/bin/chromium nginx-light:/usr/sbin/nginx gettext-base:/usr/bin/envsubst
system-packages:
	@missing=""; for entry in $(DEBIAN_PACKAGES); do [ -x "$${entry#*:}" ] || missing="$$missing $${entry%%:*}"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -ne 0 ]; then echo "make: missing Debian packages; as root run: apt-get install$$missing" >&2; exit 1; fi; \
		echo "make: installing$$missing (apt-get)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$$missing >/dev/null; \
	fi
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null || \
		{ echo "make: Node.js 20.19 or later is needed for dclint (found: $$(node --version 2>&1 || echo none))" >&2; exit 1; }

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

# The shipped stack's files: the nginx site passes `nginx -t`; docker-compose.yml validates against the
# Compose Specification (dclint: the schema, and its style rules with no warning allowed).
check-stack: system-packages node_modules/.package-lock.json
	deploy/render-nginx 127.0.0.1:8000 8080 --check
	node_modules/.bin/dclint --max-warnings 0 docker-compose.yml
	@echo "dclint: docker-compose.yml is valid"

# The development server on PORT (default 8000); tasks (mail) run in the request, printed to the console.
PORT ?= 8000
run: venv
	TASKS_IMMEDIATE=True $(PY) manage.py migrate --no-input
	TASKS_IMMEDIATE=True $(PY) manage.py seed_demo
	TASKS_IMMEDIATE=True $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DATABASE_URL=sqlite://:memory: $(VENV)/bin/mypy jobs accounts curriculum analytics classes learning family edtech bench

# Production settings must pass Django's deployment checks, warnings included.
check-deploy: venv
	DEBUG=False SECRET_KEY=check-deploy-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
		DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		EMAIL_URL=smtp+tls://mail.example.com:587 ALLOWED_HOSTS=learn.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING

test: venv system-packages lint check-deploy check-stack
	# Models and migrations agree (needs no database: an empty in-memory one).
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) -W error::DeprecationWarning -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts

# A bounded load test on loopback (README, "Load test"): a fresh edtech_load database,
# gunicorn with DEBUG off, locust for 60 s; fails on any 5xx or on drift.
loadtest: venv
	PY=$(PY) bash loadtest/run.sh

# Backups in pg_dump's custom format (README, "Backups"), of DATABASE_URL when set.
DEV_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/edtech_dev
BACKUP_DIR ?= backups

backup:
	@url=$${DATABASE_URL:-$(DEV_DATABASE_URL)}; \
	case "$$url" in postgres://*|postgresql://*) ;; *) echo "backup: DATABASE_URL must be a postgres:// URL" >&2; exit 2;; esac; \
	mkdir -p "$(BACKUP_DIR)"; \
	file="$(BACKUP_DIR)/edtech-$$(date -u +%Y%m%dT%H%M%SZ).dump"; \
	pg_dump --format=custom --dbname="$$url" --file="$$file.partial" || { rm -f "$$file.partial"; exit 1; }; \
	mv "$$file.partial" "$$file" && echo "$$file"

# Replaces what the dump contains in DATABASE_URL's database, in one transaction.
restore:
	@test -n "$(FILE)" || { echo "restore: name the dump, e.g. make restore FILE=backups/edtech-20250101T020000Z.dump" >&2; exit 2; }
	@test -f "$(FILE)" || { echo "restore: no such file: $(FILE)" >&2; exit 2; }
	@url=$${DATABASE_URL:-$(DEV_DATABASE_URL)}; \
	case "$$url" in postgres://*|postgresql://*) ;; *) echo "restore: DATABASE_URL must be a postgres:// URL" >&2; exit 2;; esac; \
	pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$$url" "$(FILE)" && echo "restored $(FILE)"

# The benchmark (BENCHMARKS.md): a generated dataset (100k students, ~10M answers by default; reused
# when present), gunicorn with production settings, wrk on every page. Sizes: see bench/run.sh.
bench: venv
	PY=$(PY) bash bench/run.sh

# Several gunicorn shapes (workers × threads) on a few pages: how gunicorn.conf.py's defaults were chosen.
bench-matrix: venv
	PY=$(PY) bash bench/matrix.sh
