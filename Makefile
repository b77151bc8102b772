# CX Interview Coach: build, check and run the bot. `make` alone lists the targets.
# The recipes are one-liners; the work is done by scripts/*.sh, which can also be run on their own.
# Ports can be overridden on any target: make run RASA_PORT=5006 ACTION_PORT=5056 WEB_PORT=8081

SHELL := bash
.DEFAULT_GOAL := help

RASA_PORT ?= 5005
ACTION_PORT ?= 5055
WEB_PORT ?= 8080
export RASA_PORT ACTION_PORT WEB_PORT

.PHONY: help install lint validate train run shell cluster test test-cluster score bench loadtest lock clean distclean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: ## Build .venv/rasa and .venv/actions from requirements/*.lock (reused while unchanged), pip check; Chromium, npm ci
	@scripts/install.sh

lint: ## Lint the Python code with ruff (pinned in requirements/lint.lock, run from .venv/lint)
	@scripts/lint.sh

validate: ## Validate the content files and the Rasa training data (warnings fail)
	@scripts/validate.sh

train: ## Train models/<content hash>.tar.gz unless it exists already; prints its path
	@scripts/train_if_changed.sh

run: ## Start the action server, the Rasa server (REST on RASA_PORT) and the chat page (WEB_PORT) until Ctrl-C
	@scripts/run.sh

shell: ## Talk to the bot in this terminal (rasa shell, with the action server in the background)
	@scripts/run.sh shell

# Ports as for make run: RASA_PORT is nginx's, WEB_PORT the chat page's; the rest are free ports. CLUSTER_DIR keeps
# the data (default .rasa/cluster).
cluster: ## PostgreSQL, Redis, 2 Rasa and 2 action servers behind nginx on this machine (about 3 GB), until Ctrl-C
	@scripts/cluster.sh

test: ## Run every check CI runs: install, lint, validate, train, conversation tests, browser tests, pytest
	@scripts/test.sh

# Run it from the repo root: `make -C <dir>` prints "Entering directory" on stdout before this file is even read.
score: ## Score answers offline: make score < answers.jsonl > scores.jsonl (stdout is JSON Lines only)
	@scripts/score.sh

# Fewer repetitions on a busy machine: make bench BENCH_ARGS="--repetitions 20 --lines 40 --requests 10"
bench: ## Print judgement figures on the blind set, the regression check on the older graded set, speed and memory
	@scripts/bench.sh $(BENCH_ARGS)

# A quicker run: make loadtest LOADTEST_ARGS="--candidates 10 --no-plain-bot"; a running deployment: --rasa-url URL
# --tracker-db-url postgresql://... (bench/loadtest.py lists the options)
loadtest: ## Candidates doing whole interviews at once over REST: turns/s, latency beside a plain Rasa bot, nothing lost
	@scripts/loadtest.sh $(LOADTEST_ARGS)

# Not part of make test (it takes 15-25 minutes): make test-cluster TEST_CLUSTER_ARGS="--candidates 20"
test-cluster: ## The cluster under 50 candidates, one Rasa server killed and PostgreSQL restarted mid-run; checked in PostgreSQL
	@scripts/test_cluster.sh $(TEST_CLUSTER_ARGS)

lock: ## Regenerate requirements/*.lock from requirements/*.in in throwaway venvs (then run make install)
	@scripts/lock.sh

clean: ## Remove models/, logs/, results/, test-output/, .rasa/ (the saved conversations) and .cache/ (stored vectors); keep the venvs
	rm -rf models logs results test-output .rasa .cache

distclean: clean ## Also remove the virtual environments (.venv/) and node_modules/
	rm -rf .venv node_modules
