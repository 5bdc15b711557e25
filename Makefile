# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format serve install clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever the declared dependencies change.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The demo runs as production does (DEBUG off, whitenoise serving the collected static files,
# the signing key generated once into var/secret-key), on SQLite under var/. Two exceptions,
# both for the demo only: cookies are allowed over plain http, since it is served on loopback
# without TLS, and the demo accounts are asked for explicitly.
demo: export DEBUG = False
demo: export SECURE_COOKIES = False
demo: export ALLOWED_HOSTS = 127.0.0.1,localhost
demo: export OFFICER_PROFILES = named
demo: $(STAMP)
	mkdir -p var
	$(BIN)/commonbeat migrate --no-input
	$(BIN)/commonbeat demo --accounts yes
	$(BIN)/commonbeat collectstatic --no-input --verbosity 0
	$(BIN)/commonbeat serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=True $(BIN)/mypy src

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP) lint
	$(BIN)/pytest $(PYTEST_ARGS)

# Refresh the Spanish catalogue after changing strings (needs GNU gettext), then translate.
messages: export DEBUG ?= True
messages: $(STAMP)
	cd src/commonbeat && ../../$(BIN)/commonbeat makemessages --locale es --no-obsolete --ignore 'tests/*'
	cd src/commonbeat && ../../$(BIN)/commonbeat compilemessages --locale es

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache test-artifacts
