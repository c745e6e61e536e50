# Two commands for a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
MANAGE := $(UV) run --frozen python manage.py
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: wrk nginx cluster cluster-load faults run serve worker test test-fast bench load roundtrip backup restore audit install install-dev browser java node curl lint format migrate demo check-uv messages

check-uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv

install: check-uv
	$(UV) sync --frozen

install-dev: install

browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Chromium for the browser tests…"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# curl, which the test of docs/api.md runs against a live server.
curl:
	@if ! command -v curl >/dev/null 2>&1; then \
		echo "Installing curl for the API documentation's examples…"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq curl >/dev/null; \
	fi

# A Java runtime for the Nu HTML Checker (vnu.jar, from npm) that the HTML validity test runs.
java:
	@if ! command -v java >/dev/null 2>&1; then \
		echo "Installing a Java runtime for the HTML checker…"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; \
	fi

migrate: install
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) demo

run: demo
	@echo
	@echo "  Yearloop is starting on http://127.0.0.1:$(PORT)/"
	@echo "  Log in as  demo / demo   (the writer of the demo posts)"
	@echo "             reader / reader (a second user)"
	@echo "             admin / admin   (the admin site, /admin/)"
	@echo
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(MANAGE) runserver 127.0.0.1:$(PORT)

# As in production, on this machine: gunicorn and a task worker, DEBUG off, compressed and
# hashed static files, plain HTTP on loopback (HTTPS=0; behind a TLS proxy leave HTTPS on).
SERVE_ENV = DEBUG=0 HTTPS=0 EMAIL_TO_CONSOLE=1 ALLOWED_HOSTS=127.0.0.1,localhost \
	SITE_URL=http://127.0.0.1:$(PORT) SECRET_KEY="$$(cat var/secret_key)"

serve: demo
	@test -s var/secret_key || $(UV) run --frozen python -c \
		"import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	$(SERVE_ENV) \
		$(MANAGE) collectstatic --no-input -v0
	$(SERVE_ENV) \
		$(MANAGE) check --deploy --fail-level WARNING
	@$(SERVE_ENV) setsid $(MANAGE) run_worker --no-startup-delay & worker=$$!; \
	trap 'kill -TERM '$$worker' 2>/dev/null; wait '$$worker EXIT; \
	$(SERVE_ENV) \
		$(UV) run --frozen gunicorn yearloop.wsgi:application --bind 127.0.0.1:$(PORT) \
		--workers $$(( $$(nproc) * 2 + 1 )) --access-logfile - --no-control-socket

# The task worker alone, with `make serve`'s environment (`make serve` starts one itself):
# queued e-mail, the daily reminders and purge. Run as many as you like; each job runs once.
worker: migrate
	@test -s var/secret_key || $(UV) run --frozen python -c \
		"import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	$(SERVE_ENV) $(MANAGE) run_worker

# The Korean catalogue: new strings into locale/ko/LC_MESSAGES/django.po, then compiled to .mo.
MESSAGES_IGNORE := -i '.venv/*' -i 'var/*' -i 'node_modules/*' -i 'staticfiles/*' -i 'tests/*'

messages: install
	$(MANAGE) makemessages -l ko --no-obsolete $(MESSAGES_IGNORE)
	$(MANAGE) compilemessages -l ko -i .venv

# axe-core for the accessibility browser test and the Nu HTML Checker (vnu-jar) for the HTML
# validity test, from package-lock.json (Lighthouse is a devDependency: `make audit` installs it).
node:
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/vnu-jar/build/dist/vnu.jar \
		|| npm ci --omit=dev --no-audit --no-fund

lint: install-dev
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen ruff check .
	$(UV) run --frozen djhtml --check templates

format: install-dev
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen djhtml templates

test: install-dev browser java node nginx curl lint
	$(UV) run --frozen pytest

# The quick loop while developing: lint, then every test that opens no browser, on all
# cores (pytest-xdist; each worker has a test database of its own) and with fewer
# Hypothesis examples. `make test` (and CI) still runs everything.
test-fast: install-dev java node nginx curl lint
	$(UV) run --frozen pytest -m "not browser" -n auto --hypothesis-profile=quick

# Queries per page, throughput against a constant page (post cache on and off), page weight
# in Chromium and photo CPU, on a database of its own (PostgreSQL when DATABASE_URL is set);
# a table, and figures in bench/results.json (bench/run.py; BENCH_SECONDS, BENCH_CONCURRENCY).
# wrk, a compiled load generator: a Python client on the same two cores would be the limit.
wrk:
	@if ! command -v wrk >/dev/null 2>&1; then \
		echo "Installing wrk for the throughput benchmark…"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; \
	fi

bench: install-dev browser wrk
	$(UV) run --frozen python bench/run.py

# 50 simulated people for 60 s against `make serve` on PostgreSQL and Redis, then a check
# that every write answered with success is stored (bench/load.py; LOAD_USERS,
# LOAD_SECONDS, LOAD_THINK change the run). The comment limit is raised far above what
# people do, so the load test's own posting is not refused as too fast.
LOAD_PORT ?= 8765
LOAD_DB ?= yearloop_load
LOAD_ENV = DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(LOAD_DB) \
	REDIS_URL=redis://127.0.0.1:6379/2 COMMENT_RATE_LIMITS=1000/minute,100000/day

load: install-dev
	@psql -h 127.0.0.1 -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = '$(LOAD_DB)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres $(LOAD_DB)
	@mkdir -p var; export $(LOAD_ENV); \
	echo "Starting the server on 127.0.0.1:$(LOAD_PORT) (log: var/load-server.log)…"; \
	setsid $(MAKE) --no-print-directory serve PORT=$(LOAD_PORT) > var/load-server.log 2>&1 & \
	server=$$!; trap 'kill -TERM -- -'$$server' 2>/dev/null; wait' EXIT; \
	for _ in $$(seq 300); do \
		curl -fsS http://127.0.0.1:$(LOAD_PORT)/healthz >/dev/null 2>&1 && break; \
		kill -0 $$server 2>/dev/null || { tail -20 var/load-server.log; exit 1; }; \
		sleep 1; \
	done; \
	$(UV) run --frozen python bench/load.py --url http://127.0.0.1:$(LOAD_PORT)

# nginx, installed from Debian when missing (for the cluster).
nginx:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
		echo "Installing nginx for the cluster…"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx >/dev/null; \
	fi

# The site as in production, on this machine: nginx (127.0.0.1:8770, from
# deploy/nginx.conf.template) in front of two gunicorn nodes (8771, 8772), a PostgreSQL
# (5433) and a Redis (6391) of its own, the demo data, shared media; in the foreground
# until Ctrl-C, which stops all of it (bench/cluster.py; CLUSTER_PORT moves the three
# HTTP ports). Files and logs in var/cluster/.
cluster: install-dev nginx
	$(UV) run --frozen python bench/cluster.py

# The cluster, checked: what is done through one node is seen at once through the other
# (session, post change, comment limit, view count, log-in lockout), then bench/load.py
# through nginx with one node killed (kill -9) 40 % into the run. Prints p95 per kind,
# the errors and whose they were, lost writes; figures in bench/results.json
# (bench/faults.py; LOAD_USERS, LOAD_SECONDS, LOAD_THINK: 30 people for 40 s by default).
cluster-load: install-dev nginx
	$(UV) run --frozen python bench/faults.py --steps shared-state,node-kill

# Faults under load, each asserted: an app node killed, Redis stopped for 10 s, Redis frozen
# for 10 s, PostgreSQL restarted (bench/faults.py, on the cluster of `make cluster`; about
# 5 minutes).
faults: install-dev nginx
	$(UV) run --frozen python bench/faults.py \
		--steps node-kill,redis-outage,redis-hang,postgres-restart

# Export the demo user from the development database, import the archive into a fresh
# SQLite database (its own media folder) in a temporary directory, export again and compare:
# fails, listing the differences, unless only the export date differs.
roundtrip: demo
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MANAGE) export_user demo --output "$$tmp/first.zip" && \
	export DATABASE_URL="sqlite:///$$tmp/fresh.sqlite3" MEDIA_ROOT="$$tmp/media" && \
	$(MANAGE) migrate --no-input -v0 && \
	$(MANAGE) import_user demo "$$tmp/first.zip" && \
	$(MANAGE) export_user demo --output "$$tmp/second.zip" --compare "$$tmp/first.zip"

# A backup of the database and the media root, checked by a manifest of SHA-256 sums
# (docs/deployment.md#backups); OUTPUT names the folder, var/backups/<UTC time>/ by default.
backup: install
	$(MANAGE) backup $(if $(OUTPUT),--output "$(OUTPUT)")

# Restore BACKUP=<folder> into an empty database and media root, then migrate.
restore: install
	@test -n "$(BACKUP)" || { echo "Name the backup: make restore BACKUP=var/backups/<time>"; exit 2; }
	$(MANAGE) restore "$(BACKUP)"

# Lighthouse 12 on the demo's public post, profile and log-in page, phone and desktop,
# against the app served as `make serve` does, on a demo database of its own (var/audit/).
# Prints the scores, writes bench/audit.json, and fails when a target is missed
# (bench/audit.py; AUDIT_PORT and AUDIT_RUNS change the run).
AUDIT_PORT ?= 8766
AUDIT_RUNS ?= 3

audit: install-dev
	@test -x node_modules/.bin/lighthouse || npm ci --no-audit --no-fund
	$(UV) run --frozen python bench/audit.py --port $(AUDIT_PORT) --runs $(AUDIT_RUNS)
