# Developer commands. Everything is done by scripts/dev.sh, which first sets up what is
# missing (Python >= 3.12, uv and .venv, Debian packages, a PostgreSQL cluster in var/pg).
# Extra arguments go through ARGS, e.g.  make test ARGS="-k calendar -x"
.DEFAULT_GOAL := help
DEV := bash scripts/dev.sh
ARGS ?=

.PHONY: help run test bench lint messages setup manage stop-db screens

help: ## show this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

run: ## set up, migrate, load the demo data, serve http://127.0.0.1:8000 (prints the logins)
	@$(DEV) run $(ARGS)

test: ## set up, run the checks and the whole pytest suite (ARGS go to pytest)
	@$(DEV) test $(ARGS)

bench: ## set up, then run bench/run.py
	@$(DEV) bench $(ARGS)

lint: ## ruff check and ruff format --check
	@$(DEV) lint $(ARGS)

messages: ## update locale/*.po (kk, ru, en) and compile them
	@$(DEV) messages $(ARGS)

screens: ## screenshots of every role's main pages (390/1366 px, kk/ru) into docs/screens/
	@$(DEV) screens $(ARGS)

setup: ## only the set-up
	@$(DEV) setup

manage: ## manage.py with the local database, e.g. make manage ARGS=createsuperuser
	@$(DEV) manage $(ARGS)

stop-db: ## stop the local PostgreSQL cluster (var/pg)
	@$(DEV) stop-db
