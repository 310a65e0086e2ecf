# Guichet — two commands on a fresh Linux machine with Python 3.11+ and make:
#   make demo   installs, migrates, loads demo data, serves on 127.0.0.1:$(PORT)
#   make test   the whole suite
SHELL := /bin/bash
PORT ?= 8000
PYTHON ?= python3
# uv from PATH, else installed once into .tools/ with pip (no other prerequisite).
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_DOWNLOADS ?= never
MANAGE := .venv/bin/python manage.py

.PHONY: demo test install lint format check-deploy migrations browser-deps bench clean-db

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen

demo: install
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) load_demo --port $(PORT)
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker with an embedded beat (demo only)"; \
	  DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/celery -A config worker -B -l info --concurrency 2 & \
	fi; \
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) runserver 127.0.0.1:$(PORT)

# Debian's Chromium drives the browser tests (Playwright cannot download its own here).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core; \
	fi

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

migrations: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=check-deploy-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
	DATABASE_URL=postgres://unused@127.0.0.1:5432/unused \
	ALLOWED_HOSTS=guichet.example.fr \
	$(MANAGE) check --deploy --fail-level WARNING

# The suite over TEST_WORKERS processes (pytest-xdist), each with its own test database.
TEST_WORKERS ?= 2
test: install browser-deps lint migrations check-deploy
	.venv/bin/pytest -n $(TEST_WORKERS) --dist loadgroup

# The benchmark: its own database (guichet_bench), seeded fast, measured at two sizes.
# Issue 5 adds web throughput: gunicorn (sessions on a Redis of its own) loaded by wrk
# (Debian's packages, installed if missing). Issue 7 adds the citizen's pages with
# 1,000,000 dossiers (guichet_bench_dossiers, seeded with COPY in 1 to 3 minutes).
# Issue 8 adds change_status with five actions, per second, with 1,000,000 dossiers in a
# guide (guichet_bench_instruction, the same seeding and the guide on top).
# Issue 10: `python -m bench` is now the scale benchmark (bench/scale.py): one seeding at
# 10,000 and 1,000,000 dossiers (guichet_bench_10k, guichet_bench_1m; BENCH_REUSE=1 keeps
# them), every measure in one run, one table (var/bench/bench.json; docs/performance.md).
# `python -m bench tout` runs the earlier scenarios, `python -m bench web` one of them.
bench: install
	@if ! command -v wrk >/dev/null || ! command -v redis-server >/dev/null; then \
	  echo "Installing Debian's wrk and redis-server for the web benchmark"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk redis-server; \
	fi
	.venv/bin/python -m bench

# Removes the embedded PostgreSQL data folder (demo data included).
clean-db:
	rm -rf var/pgdata
