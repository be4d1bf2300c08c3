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

.PHONY: install run worker test lint format bench messages clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

## run: set up, migrate, load demo data, start the web server and a Celery worker with embedded beat
run: install
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py seed_demo
	@mkdir -p var/log
	@echo "Starting a Celery worker with embedded beat (log: var/log/worker.log)"
	@$(VENV)/bin/celery -A cqm_portal $(WORKER_ARGS) >var/log/worker.log 2>&1 & \
	WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	echo "CQM Portal: $(PORTAL_BASE_URL)/  (stop with Ctrl+C)"; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

## worker: only the background worker with embedded beat (e.g. after it stopped; see README)
worker: install
	@mkdir -p var/log
	$(VENV)/bin/celery -A cqm_portal $(WORKER_ARGS)

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
## (seeds 200,000 claims if missing; e.g. BENCH_ARGS="--seconds 5 --scale 0.1" for a quick run)
bench: install
	@$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py bench $(BENCH_ARGS)

## messages: refresh the German catalogue after changing texts, then translate and compile it
messages: install
	$(PY) manage.py makemessages -l de --ignore=.venv --ignore=var --ignore=static/vendor \
		--ignore=tests --ignore="*/tests/*" --no-obsolete
	$(PY) manage.py compilemessages -l de --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
