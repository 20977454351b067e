# make run · make test · make bench — each sets up .venv itself on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
SHARED ?= ../shared

.PHONY: run dev test lint bench score fit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

## run: install, migrate, load the starter glossary into an empty database, serve on http://$(HOST):$(PORT)
run: $(VENV)/.runtime instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) load-starter
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C stops)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - app:app

## dev: the same with Flask's reloading debug server
dev: $(VENV)/.runtime
	GLOSSARY_ENV=development $(FLASK) db upgrade
	GLOSSARY_ENV=development $(FLASK) load-starter
	GLOSSARY_ENV=development $(FLASK) run --debug --host $(HOST) --port $(PORT)

## test: install the test tools and run the whole suite
test: $(VENV)/.dev
	$(BIN)/pytest $(PYTEST_ARGS)

## lint: ruff check and ruff format --check on everything; mypy on mining, text, ingest, search and services
lint: $(VENV)/.dev
	$(BIN)/ruff check glossary tests bench app.py
	$(BIN)/ruff format --check glossary tests bench app.py
	$(BIN)/mypy glossary/mining glossary/text glossary/ingest glossary/search glossary/services

## score: mining figures per text on the seed and development texts (needs ../shared), leave-one-text-out
score: $(VENV)/.dev
	$(BIN)/python -m glossary.mining.weights.fit $(SHARED)

## fit: the same, then save what was learned from all texts: glossary/mining/weights/boundary.json and learned.json
fit: $(VENV)/.dev
	$(BIN)/python -m glossary.mining.weights.fit $(SHARED) --write

## bench: print the speed figures (needs ../shared/corpus for the mining one)
bench: $(VENV)/.dev
	$(BIN)/python bench/mine.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/search_http.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/check.py

clean:
	rm -rf $(VENV) .pytest_cache
