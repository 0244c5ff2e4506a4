# rust-python-stages: build a Python library with a Rust core, one stage at a time.
#
#   make help              list the targets
#   make demo              build and run every stage's example
#   make test              every stage's tests, exercise solutions and notebook
#   make stage-3 test      the same goal for stage 3 only (stage-N selects, any goal acts)
#
# Every target uses the tool environment in .venv, created on first use from
# requirements-dev.txt; nothing needs activating by hand.

SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
# The workshop's dev container sets VENV: its environment is its own, not the host's .venv.
VENV ?= $(ROOT)/.venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed-requirements
# The interpreter .venv is made with (make doctor checks it): `make PYTHON3=python3.12 test`.
export PYTHON3 ?= python3
# One cargo target folder for all stages: shared dependencies compile once.
export CARGO_TARGET_DIR ?= $(ROOT)/target

# OFFLINE=1: pip installs only from wheelhouse/ (filled by `make prefetch`), cargo uses its cache.
WHEELHOUSE := $(ROOT)/wheelhouse
ifdef OFFLINE
export PIP_NO_INDEX := 1
export PIP_FIND_LINKS := $(WHEELHOUSE)
export CARGO_NET_OFFLINE := true
endif

# Python outside the stages, checked by `make lint` with the root ruff.toml.
ROOT_PYTHON := $(wildcard notebooks tools bench docker-test)

ALL_STAGES := $(sort $(patsubst %/Makefile,%,$(wildcard stages/v*/Makefile)))
stage_number = $(patsubst stages/v%,%,$(firstword $(subst -, ,$(1))))
notebook_of = $(wildcard notebooks/0$(call stage_number,$(1))-*.ipynb)

# `make stage-2 stage-3 test` selects stages 2 and 3; no stage-N goal selects them all.
REQUESTED := $(patsubst stage-%,%,$(filter stage-%,$(MAKECMDGOALS)))
STAGES := $(if $(REQUESTED),$(foreach n,$(REQUESTED),$(or $(wildcard stages/v$(n)-*),\
  $(error There is no stage $(n). The stages are: $(ALL_STAGES)))),$(ALL_STAGES))

# nbval runs from notebooks/, where pytest.ini and sanitize.cfg live.
NOTEBOOKS := $(notdir $(foreach s,$(STAGES),$(call notebook_of,$(s))))
define run_notebooks
	$(if $(NOTEBOOKS),cd notebooks && $(PY) -m pytest $(NOTEBOOKS),@echo "No notebook for $(STAGES)")
endef

# The comparison of all approaches: its own builds (bench/uniffi, bench/go) and notebook 05,
# which builds every row again into bench/build/. Without Go or the aarch64 target (optional:
# `make doctor`), what needs them is left out, each test and notebook cell saying why.
define compare_tests
	cd bench && $(PY) -m pytest -q -rs go/tests uniffi/tests
	cd notebooks && $(PY) -m pytest -rs $(notdir $(wildcard notebooks/05-*.ipynb))
endef

# Forward a goal to each selected stage's own Makefile, stopping at the first failure.
define each_stage
	@set -e; for stage in $(STAGES); do \
	  echo "==> $$stage: make $(1)"; \
	  $(MAKE) --no-print-directory -C $$stage $(1) PYTHON=$(PY); \
	done
endef

.PHONY: help venv demo build develop wheel sdist run test notebook compare solutions bench bench-readme lint check clean lab compare-tests docker-test doctor pyversions prefetch lock diff workshop workshop-shell workshop-test

help:
	@echo "Usage: make [stage-N ...] GOAL"
	@echo
	@echo "Stages (select with stage-N; default: all):"
	@$(foreach s,$(ALL_STAGES),echo "  stage-$(call stage_number,$(s))  $(s)";)
	@echo
	@echo "Goals:"
	@echo "  demo         build and run each stage's example.py (the first thing to try)"
	@echo "  build        build each stage's wheel and install it into .venv"
	@echo "  develop      the same with a dev-profile build: quick after a change (make check uses it)"
	@echo "  wheel        build each stage's wheel into stages/<stage>/dist"
	@echo "  sdist        build each stage's source distribution into stages/<stage>/dist"
	@echo "  run          run each stage's example.py"
	@echo "  diff         what changed from the stage before, with a line count (DIFF_TESTS=1: tests too)"
	@echo "  test         cargo tests, pytest, exercise solutions and the notebook, per stage"
	@echo "               (stage 4 also PyJWT's own test suite); without stage-N, also compare."
	@echo "               A suite, a proof or the comparison that passed is not rerun while"
	@echo "               what it tests is unchanged (FRESH=1: all of them)"
	@echo "  notebook     execute and check each stage's notebook with nbval"
	@echo "  compare      build and check the comparison of all approaches (notebook 05)"
	@echo "  check        check your exercise work (see the stage README)"
	@echo "  bench        run the benchmarks and print their tables"
	@echo "  bench-readme run the benchmarks and write their tables into the stage READMEs"
	@echo "  pyversions   test each stage's one wheel on every CPython 3.11-3.15 this machine has"
	@echo "  docker-test  run wheels, tests and notebooks on amd64 and arm64, Python 3.11, 3.13-3.15"
	@echo "  lint         cargo fmt, clippy, ruff"
	@echo "  lab          open the notebooks in JupyterLab"
	@echo "  workshop     JupyterLab in the workshop's container (.devcontainer/), built if needed"
	@echo "  workshop-shell  a shell in that container; workshop-test tests it from a fresh clone"
	@echo "  doctor       check this machine for what the stages need"
	@echo "  prefetch     download every package and crate, then work with OFFLINE=1"
	@echo "  venv         create .venv from the lock, requirements-dev.txt (done on first use)"
	@echo "  lock         resolve requirements-dev.in (and tools/workshop-test.in) into locks, with hashes"
	@echo "  clean        remove build outputs (keeps .venv)"

# A stage-N goal only selects; given alone it says so.
stage-%:
	@$(if $(filter-out stage-%,$(MAKECMDGOALS)),:,echo "Selected $(STAGES). Add a goal: make $@ test (make help lists them).")

venv: $(VENV_STAMP)

# requirements-dev.txt is the lock: every package, dependencies included, at one version with
# the hashes of its files. pip installs nothing else and refuses a file whose hash differs
# (pip itself is in the lock, so it is upgraded in the same step).
$(VENV_STAMP): requirements-dev.txt
	test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# Writes the lock from the hand-edited pins in requirements-dev.in. uv resolves for every
# platform and every Python from 3.11 at once (--universal: markers where they differ) and lists
# the hashes of all files, so one lock serves Linux and macOS alike. uv is itself in the
# lock, so the locking tool is pinned and checked like the rest. Versions already locked stay
# put unless the pins need otherwise; LOCK_ARGS=--upgrade moves every dependency to its newest.
lock: $(VENV_STAMP)
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" $(LOCK_ARGS) \
	  --output-file requirements-dev.txt requirements-dev.in
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" $(LOCK_ARGS) \
	  --output-file tools/workshop-test.txt tools/workshop-test.in

demo: $(VENV_STAMP)
	$(call each_stage,run)

build: $(VENV_STAMP)
	$(call each_stage,build)

develop: $(VENV_STAMP)
	$(call each_stage,develop)

wheel: $(VENV_STAMP)
	$(call each_stage,wheel)

sdist: $(VENV_STAMP)
	$(call each_stage,sdist)

run: $(VENV_STAMP)
	$(call each_stage,run)

check: $(VENV_STAMP)
	$(call each_stage,check)

# Each stage's linters, ruff on the Python outside the stages, then the GitHub Actions workflows,
# offline: zizmor audits them for security mistakes, check-jsonschema validates each one against
# the workflow schema it carries.
lint: $(VENV_STAMP)
	$(call each_stage,lint)
	$(PY) -m ruff check $(ROOT_PYTHON)
	$(PY) -m ruff format --check $(ROOT_PYTHON)
	cargo fmt --check --manifest-path bench/uniffi/Cargo.toml
	cargo clippy --quiet --manifest-path bench/uniffi/Cargo.toml -- -D warnings
	$(if $(shell command -v go),test -z "$$(gofmt -l bench/go)" && cd bench/go && go vet .)
	$(VENV)/bin/zizmor --offline --no-progress .github/workflows
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows \
	  $(wildcard .github/workflows/*.yml)

clean:
	$(call each_stage,clean)
	rm -rf $(CARGO_TARGET_DIR) notebooks/.pytest_cache bench/build

# A stage's test: its own suite, then proof that its exercise solutions pass the checks,
# then its notebook (which imports the package the suite installed). A stage's suite, its
# solutions' proof and the comparison each run again only when what they test has changed since
# they last passed (tools/test_cache.py says what counts; tools/check_solutions.py for the
# proof); FRESH=1 runs everything.
CACHED = $(PY) tools/test_cache.py $(if $(FRESH),--force)
COMPARE_INPUTS := bench stages $(wildcard notebooks/05-*.ipynb) notebooks/conftest.py \
  notebooks/pytest.ini notebooks/sanitize.cfg tools/optional.py requirements-dev.txt
test: $(VENV_STAMP)
	@set -e; for stage in $(STAGES); do \
	  echo "==> $$stage: make test"; \
	  $(CACHED) $$stage --inputs $$stage requirements-dev.txt -- \
	    $(MAKE) --no-print-directory -C $$stage test PYTHON=$(PY); \
	  echo "==> $$stage: exercise solutions"; \
	  $(PY) tools/check_solutions.py $(if $(FRESH),--force) $$stage; \
	done
	$(run_notebooks)
	$(PY) -m pytest -q tools/tests docker-test/tests
	$(if $(REQUESTED),,$(CACHED) compare --inputs $(COMPARE_INPUTS) -- \
	  $(MAKE) --no-print-directory compare-tests)

notebook: build
	$(run_notebooks)

compare: build
	$(compare_tests)

# The comparison's tests alone, for `make test` (which has built every stage already).
compare-tests: $(VENV_STAMP)
	$(compare_tests)

# The change from the previous stage to each selected one: everything under src/, the Python
# package, headers and build files, package names made alike; DIFF_TESTS=1 adds tests/ (pytest
# suites and Rust tests), exercises and solutions.
diff: $(VENV_STAMP)
	$(PY) tools/stage_diff.py $(if $(DIFF_TESTS),--tests) $(STAGES)

solutions: $(VENV_STAMP)
	@set -e; for stage in $(STAGES); do $(PY) tools/check_solutions.py $$stage; done

# The same wheel, installed and tested on every CPython 3.11-3.15 this machine has; the output
# names the versions it could not test.
pyversions: build
	$(PY) tools/pyversions.py $(STAGES)

# Each selected stage's own benchmark; with no stage-N goal, also the comparison of all of them.
# They print; bench-readme writes the stages' tables into their READMEs as well (tracked files,
# so that is a goal of its own).
bench: build
	$(call each_stage,bench)
	$(if $(REQUESTED),,$(PY) bench/compare.py)

bench-readme: build
	$(call each_stage,bench-readme)

# Cross-builds the selected stages' wheels and tests them in amd64 and arm64 containers, on
# Debian bookworm (Python 3.11), trixie (3.13), forky (3.14) and sid (3.15); docker-test/README.md
# has the settings (ARCHES, PYTHONS, EMULATED_PYTHONS, SETUP_HOST, ...).
docker-test: $(VENV_STAMP)
	$(PY) docker-test/run.py $(STAGES)

# For a room with bad Wi-Fi, the day before: everything `make test`, `make pyversions` and
# `make docker-test` download, so that they run with OFFLINE=1. Into wheelhouse/: the lock's
# files for this machine, hashes checked (among them the build backends that the sdist and wheel
# tests install into fresh venvs), and each stage's test group for every CPython 3.11-3.15; into
# the cargo cache: every stage's crates and the comparison's uniffi row; docker-test keeps its
# base images and wheelhouses.
prefetch: $(VENV_STAMP)
	$(PY) -m pip download --quiet --dest $(WHEELHOUSE) --require-hashes -r requirements-dev.txt
	$(PY) tools/pyversions.py --download $(WHEELHOUSE) $(ALL_STAGES)
	$(PY) stages/v4-jwt/tools/pyjwt_suite.py --download $(WHEELHOUSE)
	@set -e; for stage in $(ALL_STAGES); do \
	  echo "==> $$stage: cargo fetch"; cargo fetch --manifest-path $$stage/Cargo.toml; \
	done
	cargo fetch --manifest-path bench/uniffi/Cargo.toml
	$(PY) docker-test/run.py --prefetch
	@echo "Downloaded to $(WHEELHOUSE), ~/.cargo/registry and docker-test/cache."
	@echo "Work offline with: make OFFLINE=1 <goal>"

# Standard library only: it must run before .venv exists.
doctor:
	@python3 tools/doctor.py

lab: build
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

# The workshop's dev container: the toolchain, the locked tools and JupyterLab in one image, the
# repository mounted (docs/workshop.md). The host needs Docker and python3, nothing else: no
# .venv. PORT (8888), ARCH (amd64, arm64: the other one under QEMU) and BASE (the base image);
# workshop-test builds it from a fresh clone, runs the stages' tests and notebooks in it and
# drives JupyterLab with headless Chromium.
WORKSHOP_OPTIONS = $(if $(PORT),--port=$(PORT)) $(if $(ARCH),--arch=$(ARCH)) $(if $(BASE),--base=$(BASE))
workshop:
	@python3 tools/workshop.py lab $(WORKSHOP_OPTIONS)

workshop-shell:
	@python3 tools/workshop.py shell $(WORKSHOP_OPTIONS)

workshop-test:
	@python3 tools/workshop.py test $(WORKSHOP_OPTIONS)
