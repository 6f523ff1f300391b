# Two commands are the whole set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run test check lint types bench doctor system system-test clean-media

run: system $(VENV)/.installed
	$(PY) app.py   # 127.0.0.1:7860, or GRADIO_SERVER_NAME / GRADIO_SERVER_PORT

# The whole suite, lint and types first. `make check` is the everyday lane: the same without the slow tests
# (renders of whole videos, the browser, the real-world corpus).
test: system-test $(VENV)/.installed-dev lint types
	$(PY) -m pytest $(PYTEST_ARGS)

check: system $(VENV)/.installed-dev lint types
	$(PY) -m pytest -m "not slow" -q $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

types: $(VENV)/.installed-dev
	$(VENV)/bin/mypy

# Render speed against plain manim (add BENCH_ARGS=--gallery to time every gallery scene), then the
# pipeline's figures (corpus, time to first reasoning token, overhead share), then the policy's (false
# refusals on the real-world corpus, which layer stops each attack), then a lesson's (parallel scenes
# against one after another, time to scene 1).
bench: system $(VENV)/.installed-dev
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/pipeline_bench.py
	$(PY) bench/policy_bench.py
	$(PY) bench/lesson_bench.py
	$(PY) bench/narration_bench.py

doctor: $(VENV)/.installed
	$(PY) -m text_to_manim doctor

system:
	@scripts/setup_system.sh

system-test:
	@scripts/setup_system.sh --test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes: a second `make run` takes seconds.
$(VENV)/.installed: requirements.txt constraints.txt | $(VENV)/bin/python
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt requirements-ray.txt constraints.txt
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

# Every job's files, the gallery pictures, the history, and the caches (finished videos, shared formulas).
MEDIA ?= media
clean-media:
	rm -rf $(MEDIA)/jobs $(MEDIA)/gallery $(MEDIA)/cache $(MEDIA)/slots $(MEDIA)/history.sqlite3
