# Traject — every target bootstraps .venv from pyproject.toml on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LANGS  := nl fr en de ar
# letters for clients are also written in languages the interface does not speak (yet)
DOC_LANGS := nl fr en de ar tr uk
PO     := $(foreach l,$(LANGS),translations/$(l)/LC_MESSAGES/messages.po) \
          $(foreach l,$(DOC_LANGS),translations/$(l)/LC_MESSAGES/documents.po)
MO     := $(PO:.po=.mo)
BABEL_KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k N_plural:1,2 -k pgettext:1c,2

export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test lint bench dist i18n i18n-extract i18n-update catalogs clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Traject needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d translations -D messages -l $* >/dev/null

translations/%/LC_MESSAGES/documents.mo: translations/%/LC_MESSAGES/documents.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d translations -D documents -l $* >/dev/null

catalogs: $(MO)

run: $(STAMP) catalogs
	$(BIN)/traject

test: $(STAMP) catalogs lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check app tests packaging setup.py
	$(BIN)/ruff format --check app tests packaging setup.py
	$(BIN)/mypy app

bench: $(STAMP) catalogs
	$(BIN)/python -m tests.bench.run_bench

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project=Traject \
	    --copyright-holder="Traject developers" $(BABEL_KEYWORDS) -F babel.cfg -o translations/messages.pot .
	$(BIN)/pybabel extract --no-location --sort-output --project=Traject \
	    --copyright-holder="Traject developers" -F babel-documents.cfg -o translations/documents.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations -D messages
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/documents.pot -d translations -D documents

i18n: i18n-update catalogs

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .bench build dist
	find translations -name '*.mo' -delete

# the wheel and the one-folder desktop app, frozen from that wheel (packaging/README.md)
dist: $(STAMP)
	$(BIN)/python packaging/build.py --sizes
