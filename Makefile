# The virtual environment is (re)installed only when pyproject.toml changes:
# the stamp file records the last install.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: dataset test lint validate clean devset bench

dataset: $(STAMP)
	$(VENV)/bin/displacement-figures build

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

validate: $(STAMP)
	$(VENV)/bin/displacement-figures validate

$(PY):
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)

# datasets/ must exist for the wheel's force-include, even before the first build.
$(STAMP): pyproject.toml | $(PY)
	mkdir -p datasets
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

clean:
	rm -rf build dist .pytest_cache .ruff_cache

# The extractor on the two development sets beside the repository (not shipped with it; docs/accuracy.md):
# humset-dev, every figure labelled (full mode: precision and recall), and idmc-dev (recall mode).
SHARED ?= ../shared/eval
devset: $(STAMP)
	@test -f $(SHARED)/score.py || { echo "no development set at $(SHARED)"; exit 1; }
	rm -rf build/devset
	$(VENV)/bin/displacement-figures extract $(SHARED)/humset-dev/docs --out build/devset/humset-dev
	$(VENV)/bin/displacement-figures extract $(SHARED)/idmc-dev/docs --out build/devset/idmc-dev
	@echo "== humset-dev (full)"
	$(PY) $(SHARED)/score.py $(SHARED)/humset-dev/gold.csv build/devset/humset-dev --mode full --docs $(SHARED)/humset-dev/docs
	@echo "== idmc-dev (recall)"
	$(PY) $(SHARED)/score.py $(SHARED)/idmc-dev/gold.csv build/devset/idmc-dev --mode recall --docs $(SHARED)/idmc-dev/docs

# Release artefacts in dist/ (emptied first): wheel, sdist, <collection>-<version>.zip of each data package, and
# SHA256SUMS. Refuses when a package does not validate, a version disagrees, CHANGELOG.md has no dated section, or
# the version is lower than the change since releases/ needs; then replaces each collection's zip in releases/.
.PHONY: release
release: $(STAMP)
	$(PY) -m displacement_figures.release

# What changed since the last release of a collection, and which version bump it needs.
COLLECTION ?= syria-2024-12
.PHONY: diff-release
diff-release: $(STAMP)
	$(VENV)/bin/displacement-figures diff $$(ls releases/$(COLLECTION)-*.zip | sort -V | tail -1) datasets/$(COLLECTION) --check-version

# What users run, timed: extract end to end next to the extractor and quantulum3 (the bench extra), the xlsx
# export and charts as packages grow, and linear time on input a regex could backtrack on; see
# benchmarks/README.md. Runs them all, throughput first (the others' clean-up slows file creation for minutes);
# exits 1 when a target is missed.
bench: $(STAMP)
	$(PY) -c "import quantulum3" 2>/dev/null || $(PY) -m pip install --quiet -e ".[bench]"
	$(PY) benchmarks/throughput.py; throughput=$$?; \
	$(PY) benchmarks/linear.py; linear=$$?; \
	$(PY) benchmarks/export_scale.py && exit $$((throughput || linear))
