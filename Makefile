# 双随机、一公开 监管平台 — set-up and everyday commands.
#   make run    virtualenv + locked dependencies + migrate + demo data + dev server on :8000
#   make test   the whole test suite (installs Chromium and CJK fonts for the browser tests
#               when apt-get is available)
# Works on a fresh Debian/Ubuntu machine with Python 3.11+ and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup lint format check browser-deps lock clean-venv

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "平台已启动：http://$(HOST)/  （按 Ctrl+C 停止）"
	$(BIN)/python manage.py runserver $(HOST)

test: setup browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(STAMP) .env

.env:
	cp .env.example .env

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "需要 Python 3.11 或更高版本（Python 3.11+ is required; set PYTHON=python3.x）"; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		rm -rf $(VENV); \
		echo "正在安装 python3-venv（Debian/Ubuntu 默认未带 venv 模块）…"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq python3-venv "python$$($(PYTHON) -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')-venv" || \
		$(SUDO) apt-get install -y -qq python3-venv; \
		$(PYTHON) -m venv $(VENV); }

# Reinstall whenever the lock file changes; --require-hashes makes installs reproduce the lock.
$(STAMP): requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $(STAMP)

# Debian's Chromium and CJK fonts for the Playwright browser tests (skipped when not Debian).
browser-deps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'CJK'; then :; \
	elif command -v apt-get >/dev/null; then \
		echo "正在安装浏览器测试所需的 Chromium 与中文字体…"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; \
	else echo "未找到 /usr/bin/chromium，浏览器测试将被跳过。"; fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: setup
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

# Re-resolve the lock files after changing pyproject.toml (needs the `uv` tool).
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes -o requirements-dev.lock

clean-venv:
	rm -rf $(VENV)
