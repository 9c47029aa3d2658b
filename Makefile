# Everything a fresh machine needs: `make run` to serve, `make test` to check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; production settings come from the environment (see README).
export DJANGO_DEBUG ?= 1

.PHONY: install run serve nginx test test-postgres test-e2e browser loadtest loadtest-postgres bench node-deps check lint typecheck fixtures fixtures-check migrations-check schema schema-check load superuser clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

load: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_corpus

run: load
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: /admin/, create a login with 'make superuser')"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production server on this machine (config/serve.py; README, "Production server"): nginx on
# HOST:PORT in front of gunicorn's $(WEB_CONCURRENCY) sync workers, which listen only on a unix
# socket in var/serve/, so every request passes nginx. nginx reads whole requests and buffers
# whole answers, so a slow client holds an nginx connection, never a worker; it times slow
# clients out, bounds request lines, headers and bodies, and answers its own errors as problem
# documents (config/nginx/nginx.conf.template, rendered into var/serve/nginx.conf). gunicorn gets
# API_TRUSTED_PROXIES=1 (the client is the address nginx saw) and DJANGO_BEHIND_PROXY=1. DEBUG
# off; static files (admin, API docs) come from the app through WhiteNoise, via nginx. Plain HTTP,
# so no HTTPS redirect; behind a load balancer that terminates TLS set DJANGO_SSL_REDIRECT=1
# API_TRUSTED_PROXIES=2. Ctrl-C stops nginx and gunicorn together. The secret key comes from
# DJANGO_SECRET_KEY, or is made once and kept in var/secret_key.
WEB_CONCURRENCY ?= 2
serve: DJANGO_DEBUG = 0
serve: export DJANGO_SSL_REDIRECT ?= 0
serve: load nginx
	@test -n "$$DJANGO_SECRET_KEY" || test -s var/secret_key || \
		$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}" $(BIN)/python -m config.serve \
		--host $(HOST) --port $(PORT) --workers $(WEB_CONCURRENCY)

# Debian's nginx, for `make serve` and its tests (tests/config/test_slow_clients.py): installed
# when absent, as `make browser` installs Chromium (apt-get, as root or with sudo).
nginx: install
	@$(BIN)/python -m config.serve --install-nginx

superuser: install
	$(BIN)/python manage.py createsuperuser

fixtures: install
	$(BIN)/python manage.py build_fixtures

fixtures-check: install
	$(BIN)/python manage.py build_fixtures --check

schema: install
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --api-version v1 --file schema/openapi-v1.yaml

schema-check: install
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --api-version v1 --file var/openapi-v1.yaml
	cmp -s var/openapi-v1.yaml schema/openapi-v1.yaml || { echo "schema/openapi-v1.yaml is stale: run make schema"; exit 1; }

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy config stats loadtest

check: lint typecheck migrations-check fixtures-check schema-check

# The TypeScript client check (tests/clients) needs openapi-typescript and tsc from npm.
TS_CHECK := tests/clients/typescript
$(TS_CHECK)/node_modules/.package-lock.json: $(TS_CHECK)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 18+ (Debian: nodejs npm)"; exit 1; }
	npm ci --prefix $(TS_CHECK) --no-audit --no-fund

node-deps: $(TS_CHECK)/node_modules/.package-lock.json

test: check node-deps
	$(BIN)/python -m pytest

# The browser tests (tests/e2e) drive Debian's Chromium through Playwright, which never downloads
# a browser of its own; without /usr/bin/chromium they skip, saying so. `make browser` installs
# it (as root, or with sudo), with CJK fonts so the screenshots in var/e2e-artifacts/ read.
browser:
	@test -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" || { \
		SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
		$$SUDO apt-get update -q >/dev/null && \
		$$SUDO apt-get install -y -q chromium fonts-noto-cjk >/dev/null; }

test-e2e: install browser
	$(BIN)/python -m pytest tests/e2e

# The same suite on PostgreSQL (pytest-django creates and drops the database test_<name>)
# with the shared Redis cache, as several app servers would run (database 15 is the tests').
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
test-postgres: install node-deps
	DATABASE_URL=$(POSTGRES_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m pytest

# Mixed load (the loadtest package, python -m loadtest.run): gunicorn on loopback, 28 API
# readers and 4 admin writers on 32 connections for LOADTEST_SECONDS (default 60, at most 300),
# on a throwaway SQLite database: no errors, no lost writes, every write in the history once.
# About 1.5 minutes.
# loadtest-postgres: the same on PostgreSQL (creates and drops party_stats_loadtest).
LOADTEST_SECONDS ?= 60
LOADTEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/party_stats_loadtest
loadtest: install
	LOADTEST_SECONDS=$(LOADTEST_SECONDS) $(BIN)/python -m loadtest.run

loadtest-postgres: install
	.ci/services
	LOADTEST_SECONDS=$(LOADTEST_SECONDS) $(BIN)/python -m loadtest.run --database-url $(LOADTEST_POSTGRES_URL)

# The benchmark (bench/run.py, docs/performance.md): every ratio of issue 15 against its target
# in one run. wrk from Debian, Datasette in a virtual environment of its own, PostgreSQL and
# Redis as .ci/services makes them. About 10 minutes, plus the first build of the million-row
# PostgreSQL database (kept and reused while what built it is unchanged; BENCH_REBUILD=1).
# BENCH_SECONDS=1 checks the whole pipeline quickly.
DATASETTE_VENV := var/bench/datasette
$(DATASETTE_VENV)/.installed: bench/requirements-datasette.txt
	$(PYTHON) -m venv $(DATASETTE_VENV)
	$(DATASETTE_VENV)/bin/python -m pip install --quiet -r bench/requirements-datasette.txt
	touch $@

bench: install $(DATASETTE_VENV)/.installed
	@command -v wrk >/dev/null || { test "$$(id -u)" -eq 0 && apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk >/dev/null; }
	.ci/services
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var $(TS_CHECK)/node_modules $(TS_CHECK)/generated .mypy_cache .ruff_cache .pytest_cache .hypothesis
