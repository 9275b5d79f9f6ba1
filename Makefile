# The two commands: `make demo` and `make test`. Each makes its own virtual environment when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) example_site/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install system-deps messages lint clean guide

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Browser tests drive Debian's chromium (Playwright never downloads a browser of its own);
# the translation test runs GNU gettext's xgettext; flite speaks the captcha's question.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v xgettext >/dev/null || missing="$$missing gettext"; \
	command -v flite >/dev/null || missing="$$missing flite"; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_awards_demo
	$(MANAGE) runserver $(HOST):$(PORT)

# axe-core (accessibility checks injected by the browser tests), from the npm registry.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

test: install system-deps node_modules/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

# The operation guide (PDF) from screenshots of the demo, printed by chromium; needs a Chinese font.
guide: install system-deps
	@fc-list :lang=zh | grep -q . || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk; }
	$(PY) docs/guide/build_guide.py

lint: install
	$(VENV)/bin/ruff check wagtail_awards example_site tests bench

# Refresh the zh_Hans catalogue after changing strings (needs GNU gettext).
messages: install
	cd wagtail_awards && ../$(PY) ../example_site/manage.py makemessages -l zh_Hans --no-obsolete
	cd wagtail_awards && ../$(PY) ../example_site/manage.py compilemessages -l zh_Hans
	for po in wagtail_awards/library_locale/zh_Hans/LC_MESSAGES/*.po; do msgfmt --check -o "$${po%.po}.mo" "$$po"; done

clean:
	rm -rf $(VENV) var .pytest_cache
