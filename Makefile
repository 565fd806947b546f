# The README's commands.  Each installs what it needs into .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test bench clean token

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

run: $(VENV)/.installed  ## the whole system on http://127.0.0.1:$(PORT)
	PORT=$(PORT) $(PY) -m devstack run

test: $(VENV)/.installed  ## the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed  ## AWS calls per request, overhead ratio, import time
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache

ROLE ?= citizen
token: $(VENV)/.installed  ## an ID token of a seeded account of the running stack (last line)
	@$(PY) -m devstack token --port $(PORT) --role $(ROLE)
