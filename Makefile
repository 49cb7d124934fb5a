# `make run` serves the register with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := FLASK_APP=licensing:create_app $(VENV)/bin/flask
PORT ?= 5000
STATIC := licensing/static/vendor
PG_BIN := /usr/lib/postgresql/15/bin

.PHONY: run test lint install assets system-deps db bench clean

$(VENV)/.installed: setup.cfg
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(STATIC)/app.css: node_modules/.package-lock.json assets/app.scss
	mkdir -p $(STATIC)
	npx sass --pkg-importer=node --style=compressed --quiet-deps --no-source-map assets/app.scss $(STATIC)/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC)/
	mkdir -p $(STATIC)/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets/images $(STATIC)/assets/

assets: $(STATIC)/app.css

# PostgreSQL 15, Chromium and redis-server come from Debian's packages; install them when missing and we are root.
system-deps:
	@missing=""; \
	test -x $(PG_BIN)/initdb || missing="$$missing postgresql-15"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -x /usr/bin/redis-server || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing$$missing from Debian"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing:$$missing (install them with apt-get as root)"; fi; \
	fi

db: install
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) people rebuild-keys --if-stale
	$(FLASK) seed demo --if-empty

run: install assets db
	@echo "Serving on http://127.0.0.1:$(PORT)"
	FLASK_CONFIG=config.DevelopmentConfig $(FLASK) run --host 127.0.0.1 --port $(PORT)

# The shape is guarded: a lint error or a new import cycle fails `make test` (and so CI).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

test: lint install assets system-deps
	$(PY) -m pytest

bench: install
	$(PY) bench/match_quality.py
	$(PY) bench/match_file_throughput.py
	$(PY) bench/search_latency.py
	$(PY) bench/reports_latency.py

clean:
	rm -rf $(VENV) node_modules $(STATIC) instance .pytest_cache
