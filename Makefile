# Two commands: `make video` renders the walkthrough, `make test` runs the tests.
# Each sets up what is missing first (system libraries, .venv, the project); a second run is a no-op.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.squiggle-installed
TESTING := $(VENV)/.squiggle-test-tools

.PHONY: setup test video clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/system-deps
	@scripts/system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# The tests also drive the slide deck in Chromium and build it with npm.
$(TESTING): $(STAMP) scripts/system-deps
	@scripts/system-deps test
	@touch $@

test: setup $(TESTING)
	$(BIN)/python -m pytest

video: setup
	$(BIN)/squiggle render --quality high

clean:
	rm -rf $(VENV) media/squiggle media/videos media/clips media/slides
