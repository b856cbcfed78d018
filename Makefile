# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test lint format bootstrap install install-dev system-packages clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files: reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed  ## create .venv and install the runtime requirements
install-dev: $(VENV)/.installed-dev  ## create .venv and install the dev and test requirements
system-packages:  ## install the Debian packages the tests drive (Chromium, docker-compose) if missing
	@scripts/system-packages

bootstrap: install  ## write .env if needed, migrate, collect static files, seed, create the admin user
	$(BIN)/python -m crm_site.envfile .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py sync_beat_schedule
	$(BIN)/python manage.py seed_crm_pipelines
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_recruiting_demo
	$(BIN)/python manage.py seed_whatsapp_demo
	$(BIN)/python manage.py seed_campaigns_demo
	$(BIN)/python manage.py seed_documents_demo
	$(BIN)/python manage.py ensure_superuser

run: bootstrap  ## run web, Celery worker and Celery beat on the embedded defaults (Ctrl-C stops all)
	@echo
	@echo "  Admin:      http://localhost:$(PORT)/admin/"
	@echo "  API docs:   http://localhost:$(PORT)/api/docs/"
	@echo "  Health:     http://localhost:$(PORT)/healthz"
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --procfile Procfile --port $(PORT)

test: install-dev system-packages  ## run the test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev  ## ruff (format and check) and mypy
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DEBUG=true ENV_FILE= $(BIN)/mypy  # the django-stubs plugin loads settings; no secrets needed

format: install-dev  ## apply ruff's formatting and safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:  ## remove runtime state (database, broker files, static files); keeps .env and .venv
	rm -rf var/
