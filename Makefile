# Pandu Inovasi: `make run` serves the whole app, `make test` runs the full suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate lint format bench clean

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv -v 0 || true

run: migrate
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py seed_demo --if-empty
	$(PY) scripts/serve.py

test: install
	$(PY) -m pytest -n $${PYTEST_WORKERS:-2} --dist loadfile $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: install
	$(PY) bench/actions.py
	$(PY) bench/approve_files.py
	$(PY) bench/innovation_list.py
	$(PY) bench/deadlines.py
	$(PY) bench/home_pages.py
	$(PY) bench/notifications_fanout.py
	$(PY) bench/package.py
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles
