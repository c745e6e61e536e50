# Two commands for a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
MANAGE := $(UV) run --frozen python manage.py
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install install-dev browser lint format migrate demo check-uv

check-uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv

install: check-uv
	$(UV) sync --frozen --no-dev

install-dev: check-uv
	$(UV) sync --frozen

browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Chromium for the browser tests…"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
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
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen ruff check .
	$(UV) run --frozen djhtml --check templates

format: install-dev
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen djhtml templates

test: install-dev browser lint
	$(UV) run --frozen pytest
