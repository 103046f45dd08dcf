# The README's commands. Python comes from .python-version (pyenv) when available.
PYTHON_BOOT ?= $(shell pyenv which python 2>/dev/null || command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

# Tests run against the real PostgreSQL and Redis of the machine.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/edtech
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

.PHONY: run test lint check-deploy venv clean loadtest backup restore bench bench-matrix

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

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
	DATABASE_URL=sqlite://:memory: $(VENV)/bin/mypy jobs accounts curriculum analytics learning family edtech bench

# Production settings must pass Django's deployment checks, warnings included.
check-deploy: venv
	DEBUG=False SECRET_KEY=check-deploy-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
		DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		EMAIL_URL=smtp+tls://mail.example.com:587 ALLOWED_HOSTS=learn.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING

test: venv lint check-deploy
	# Models and migrations agree (needs no database: an empty in-memory one).
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) -W error::DeprecationWarning -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts

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
