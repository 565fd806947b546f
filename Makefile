# The README's commands.  Each installs what it needs into .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint check bench clean token onboard console browser

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	# tests/test_open311.py's Open311 client (tests only, never packaged): it pins xmltodict<0.15 while
	# moto needs the constrained 1.0.4, whose parse() it uses unchanged, so it is installed without its pins
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps georeport==0.3.1
	touch $@

run: $(VENV)/.installed console  ## the whole system (API, console, workers, embedded AWS) on http://127.0.0.1:$(PORT)
	PORT=$(PORT) $(PY) -m devstack run

test: lint console browser  ## the whole test suite (after ruff, mypy and import-linter), on both cores
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed  ## ruff (pyflakes, pycodestyle, isort, bugbear, bandit), mypy on chalicelib/, import-linter
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

check: lint  ## the inner loop (< 30 s): lint and the unit tests (no AWS, no local stack)
	$(PY) -m pytest -m "not integration" -p no:cacheprovider $(PYTEST_ARGS)

# --- the web console (web/): pinned npm packages, bundled by esbuild into web/dist/ (not committed)
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/build.mjs web/index.html
web/node_modules/.installed: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	npm run --prefix web --silent build

console: web/dist/index.html  ## build the web console into web/dist/

# The browser tests drive Debian's chromium (Playwright cannot download browsers here).
# As root (CI) it is installed when missing; elsewhere install it yourself or set CHROMIUM=/path.
browser:
	@if [ -n "$(CHROMIUM)" ] || command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	else echo "no chromium: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM=/path/to/chrome"; exit 2; fi

bench: $(VENV)/.installed console  ## AWS calls per request, overhead ratio, import time
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache

ROLE ?= citizen
token: $(VENV)/.installed  ## an ID token of a seeded account of the running stack (last line)
	@$(PY) -m devstack token --port $(PORT) --role $(ROLE)

# --- AWS deployment (infra/): see "Deploying to AWS" in the README ----------
STAGE ?= dev
INFRA_PY := infra/.venv/bin/python
CDK := cd infra && JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 ./node_modules/.bin/cdk

.PHONY: synth deploy diff package-size cost

infra/.venv/.installed: infra/requirements.txt requirements.txt
	$(PYTHON) -m venv infra/.venv
	infra/.venv/bin/python -m pip install --quiet --disable-pip-version-check -r infra/requirements.txt
	touch $@

infra/node_modules/.installed: infra/package.json infra/package-lock.json
	npm ci --prefix infra --no-audit --no-fund --loglevel=error
	touch $@

synth: infra/.venv/.installed infra/node_modules/.installed console  ## offline (builds the console first): template in cdk.out/, cfn-lint + checkov
	$(CDK) synth -c stage=$(STAGE) --quiet
	$(INFRA_PY) -m infra.checks cdk.out/aduan-$(STAGE).template.json

deploy: synth  ## needs the stage account's AWS credentials
	$(CDK) deploy -c stage=$(STAGE) aduan-$(STAGE)

diff: synth
	$(CDK) diff -c stage=$(STAGE) aduan-$(STAGE)

package-size: infra/.venv/.installed  ## the Lambda zip: size, import time with/without bytecode
	$(INFRA_PY) -m bench.package

cost: $(VENV)/.installed  ## monthly AWS bill from measured AWS calls per operation
	$(PY) -m bench.costs

# --- onboarding a regency (against the running `make run` stack; add --aws for AWS) ---
CODE ?= 35.03
REGION ?= trenggalek-2
onboard: $(VENV)/.installed  ## region + boundaries + staff CSV in one command
	$(PY) -m tools.onboard --port $(PORT) --code $(CODE) --region $(REGION) \
		$(if $(BOUNDARIES),--boundaries $(BOUNDARIES)) $(if $(STAFF),--staff $(STAFF)) \
		$(if $(CODE_FIELD),--code-field $(CODE_FIELD)) $(if $(REPROJECT),--reproject) $(if $(REPAIR),--repair)
