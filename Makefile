# CQM Portal — everything a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mails point to the portal as it is served here, unless the address is set.
PORTAL_BASE_URL ?= http://$(HOST):$(PORT)
export PORTAL_BASE_URL
# The embedded worker: one process consuming every queue, with beat inside (the schedules).
WORKER_ARGS = worker --beat --pool=solo --loglevel=INFO --schedule=var/celerybeat-schedule

# Every package the portal and its tests use, pinned with hashes (`make lock` writes it).
LOCK := requirements/lock.txt
# The tool that writes the lock lives apart from the portal's own packages.
TOOLS := var/tools
UV_VERSION := 0.13.8

.PHONY: install lock run serve worker test lint format bench messages clean

$(VENV)/.installed: pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r $(LOCK)
	$(VENV)/bin/pip install --quiet --no-deps -e .
	@# A pyproject.toml changed without `make lock` shows here as an unmet requirement.
	$(VENV)/bin/pip check
	@touch $@

install: $(VENV)/.installed

## lock: pin pyproject.toml's dependencies (with dev) and everything they need, with hashes, for
## every Python from 3.11 on; keeps the current pins unless LOCK_ARGS="--upgrade" (or
## LOCK_ARGS="--upgrade-package django")
lock: $(TOOLS)/bin/uv
	$(TOOLS)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --quiet --output-file $(LOCK) $(LOCK_ARGS)

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# `make run` serves the portal as it runs in production (DEBUG off: the portal's own error pages,
# hashed static files, no SQL kept in memory), over plain HTTP on this machine, with a key of its own
# and demo accounts signing in without a second factor. DJANGO_DEBUG=1 make run for Django's pages.
RUN_ENV = DJANGO_DEBUG=$${DJANGO_DEBUG:-0} DJANGO_SECRET_KEY="$$(cat var/secret_key)" \
	DJANGO_SECURE_COOKIES=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0 \
	CQM_STAFF_2FA_REQUIRED=$${CQM_STAFF_2FA_REQUIRED:-0} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost,$(HOST)}

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

## run: set up, migrate, load demo data, start the web server and a Celery worker with embedded beat
run: install var/secret_key
	@export $(RUN_ENV); $(MAKE) --no-print-directory serve

## serve: what `make run` does once its settings are exported (DJANGO_DEBUG=1 make serve works too)
serve:
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py seed_demo
	@mkdir -p var/log
	@echo "Starting a Celery worker with embedded beat (log: var/log/worker.log)"
	@$(VENV)/bin/celery -A cqm_portal $(WORKER_ARGS) >var/log/worker.log 2>&1 & \
	WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	echo "CQM Portal: $(PORTAL_BASE_URL)/  (stop with Ctrl+C)"; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

## worker: only the background worker with embedded beat (e.g. after it stopped; see README)
worker: install var/secret_key
	@mkdir -p var/log
	@export $(RUN_ENV); $(VENV)/bin/celery -A cqm_portal $(WORKER_ARGS)

## print-VARIABLE: show a setting of this Makefile (e.g. make print-PORTAL_BASE_URL PORT=8080)
print-%:
	@echo $($*)

## test: lint, format check, migration check and the whole test suite, one worker per core
## (pytest-xdist; each worker has its own test database)
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n auto --dist load --durations=15

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: speed and memory at volume on PostgreSQL (DATABASE_URL); prints, never fails on a number
## (seeds 200,000 claims if missing; e.g. BENCH_ARGS="--seconds 5 --scale 0.1" for a quick run).
## The command belongs to the bench app, which only bench.settings installs.
bench: install
	@$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py bench --settings=bench.settings $(BENCH_ARGS)

## messages: refresh the German catalogue after changing texts, then translate and compile it
messages: install
	$(PY) manage.py makemessages -l de --ignore=.venv --ignore=var --ignore=static/vendor \
		--ignore=tests --ignore="*/tests/*" --no-obsolete
	$(PY) manage.py compilemessages -l de --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
