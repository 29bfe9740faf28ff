# Two commands matter: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_FIRMS ?= 3000
DEMO_SEED ?= 7
EXPLORER_PORT ?= 8501

.PHONY: demo test test-long neo4j neo4j-stop schema explorer bench venv clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# Docker when an engine answers, otherwise the local server from Maven Central jars.
neo4j: $(STAMP)
	@if docker info >/dev/null 2>&1; then \
		echo "Docker engine found: docker compose up -d neo4j"; \
		docker compose up -d --wait neo4j; \
	else \
		$(BIN)/python -m neo4j_local start; \
	fi

neo4j-stop: $(STAMP)
	@if docker info >/dev/null 2>&1; then docker compose stop neo4j; fi
	$(BIN)/python -m neo4j_local stop

schema: neo4j
	$(BIN)/python -m schema apply

demo: schema
	$(BIN)/python -m loader demo --firms $(DEMO_FIRMS) --seed $(DEMO_SEED)
	$(BIN)/streamlit run explorer/app.py --server.address 127.0.0.1 --server.port $(EXPLORER_PORT) \
		--server.headless true --browser.gatherUsageStats false

explorer: $(STAMP)
	$(BIN)/streamlit run explorer/app.py --server.address 127.0.0.1 --server.port $(EXPLORER_PORT) \
		--browser.gatherUsageStats false

# The suite starts its own throwaway Neo4j (port 7697, .neo4j/test-7697); the demo database is never touched.
# Sweeps and server restarts (marker `long`) run in `make test-long`, which keeps `make test` near 20 minutes.
test: $(STAMP)
	$(BIN)/python -m pytest -m "not long" $(PYTEST_ARGS)

test-long: $(STAMP)
	$(BIN)/python -m pytest -m long $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .neo4j test-output
