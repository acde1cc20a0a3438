# The two commands: `make run` and `make test`. Everything else is set-up they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := backend:create_app
# A hung test fails after five minutes instead of holding the whole run.
PYTEST := $(BIN)/pytest -q -p no:cacheprovider --timeout=300
PWA_SOURCES := $(shell find pwa -path pwa/node_modules -prune -o -path pwa/dist -prune -o -type f -print 2>/dev/null)

.PHONY: run test lint test-sqlite test-postgres pwa-test e2e bench

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	@# exactly what the lock pins; a lock out of step with package.json fails here instead of changing
	cd pwa && npm ci --no-audit --no-fund
	touch $@

pwa/dist/index.html: pwa/node_modules/.installed $(BIN)/.installed $(PWA_SOURCES)
	cd pwa && npm run build
	@# brotli and gzip copies beside each file, served by WhiteNoise to phones that accept them
	$(BIN)/python -m whitenoise.compress -q pwa/dist

run: $(BIN)/.installed pwa/dist/index.html
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@$(BIN)/flask demo-logins
	@echo "Open http://127.0.0.1:8000"
	@# The Procfile names gunicorn and flask as commands: they must be found in the venv.
	@# The embedded run keeps rate limits in memory (the Procfile's default is Redis, for servers).
	PATH="$(CURDIR)/$(BIN):$$PATH" COOKIE_SECURE=0 RATELIMIT_STORAGE_URI=$${RATELIMIT_STORAGE_URI:-memory://} \
		$(BIN)/honcho start --port 8000 -f Procfile web worker

lint: $(BIN)/.installed
	$(BIN)/ruff check backend tests

# Both cores: pytest-xdist, each worker with its own SQLite files and PostgreSQL database.
test-sqlite: $(BIN)/.installed
	$(PYTEST) -n 2 --ignore=tests/e2e --ignore=tests/bench

test-postgres: $(BIN)/.installed
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		TEST_ON_POSTGRES=1 $(PYTEST) -n 2 --ignore=tests/e2e --ignore=tests/bench; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

pwa-test: pwa/node_modules/.installed pwa/dist/index.html
	cd pwa && npm run test:unit && npm run check:size

e2e: $(BIN)/.installed pwa/dist/index.html
	$(PYTEST) tests/e2e

test: lint test-sqlite test-postgres pwa-test e2e
