# The two commands: `make run` opens the app, `make test` installs what the tests need and runs them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench package package-test debian-deps clean

run: debian-deps $(STAMP)
	$(BIN)/scrutineer $(FILE)

test: debian-deps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

debian-deps:
	@bash scripts/install-debian-deps.sh

# Reinstall when pyproject.toml changes; the stamp keeps a second run instant.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

bench: debian-deps $(STAMP)
	@bash scripts/install-bench-deps.sh
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

package: debian-deps $(STAMP)
	bash packaging/build.sh

package-test:
	bash packaging/smoke_test.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
