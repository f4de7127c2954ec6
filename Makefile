# CPS onboarding assistant. `make run` starts everything, `make test` tests everything.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

# Configuration with working defaults; any of them can be set in the environment.
export BACKEND_PORT ?= 8000
export ACTION_PORT ?= 5055
export RASA_PORT ?= 5005
export WEB_PORT ?= 8080
export BACKEND_URL ?= http://localhost:$(BACKEND_PORT)
export RASA_URL ?= http://localhost:$(RASA_PORT)
export ACTION_ENDPOINT_URL ?= http://localhost:$(ACTION_PORT)/webhook
export DATABASE_URL ?= sqlite:///$(CURDIR)/var/backend.db
export TRACKER_DIALECT ?= sqlite
export TRACKER_DB ?= $(CURDIR)/var/rasa_tracker.db
export BACKEND_API_KEY ?= dev-action-key
export BACKEND_STAFF_KEY ?= dev-staff-key
export RASA_TOKEN ?= dev-rasa-token
export LOGIN_TOKEN_SECRET ?= dev-login-secret
export DEMO_MODE ?= 1
export PYTHONPATH := $(CURDIR)

# Production topology (`make run-production`, README "Production topology"): two Rasa instances
# sharing a Postgres tracker store and a Redis lock store, one action server each, backend on Postgres.
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_USER ?= postgres
PROD_BACKEND_DB ?= cps_backend
PROD_TRACKER_DB ?= cps_tracker
export RASA_PORT_A ?= 5005
export RASA_PORT_B ?= 5006
export ACTION_PORT_A ?= 5055
export ACTION_PORT_B ?= 5056

.PHONY: setup run run-production test train model db evaluate validate bench review-export review-import backend actions rasa web clean

setup:
	@scripts/setup.sh

model: setup
	@$(BIN)/python -m bot.training >/dev/null

train: model

db: setup
	@mkdir -p var
	@$(BIN)/cps-backend migrate
	@$(BIN)/cps-backend demo-data

run: setup model db
	@echo "Starting backend, action server, Rasa and the support page (Ctrl-C stops them all)"
	@echo "  Support page with chat: http://localhost:$(WEB_PORT)/"
	@echo "  Rasa server:            $(RASA_URL)  (REST webhook $(RASA_URL)/webhooks/rest/webhook)"
	@echo "  Action server:          http://localhost:$(ACTION_PORT)/health"
	@echo "  Agent console:          http://localhost:$(WEB_PORT)/agent.html  (agent key: $$BACKEND_STAFF_KEY)"
	@echo "  Backend API docs:       $(BACKEND_URL)/docs"
	@RASA_MODEL=$$($(BIN)/python -m bot.training) $(BIN)/honcho start -f Procfile

run-production: setup model
	@for db in $(PROD_BACKEND_DB) $(PROD_TRACKER_DB); do \
		psql -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$$db'" | grep -q 1 \
		|| psql -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) -d postgres -qc "CREATE DATABASE $$db"; done
	@export DATABASE_URL=postgresql://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$(PROD_BACKEND_DB) \
		TRACKER_DB_HOST=$(PG_HOST) TRACKER_DB_PORT=$(PG_PORT) TRACKER_DB_USER=$(PG_USER) TRACKER_DB_PASSWORD=$${TRACKER_DB_PASSWORD:-} \
		TRACKER_DB=$(PROD_TRACKER_DB) REDIS_HOST=$${REDIS_HOST:-127.0.0.1} REDIS_PORT=$${REDIS_PORT:-6379} \
		REDIS_DB=$${REDIS_DB:-1} REDIS_KEY_PREFIX=$${REDIS_KEY_PREFIX:-cps} RASA_MODEL=$$($(BIN)/python -m bot.training) && \
	export SOCKETIO_REDIS_URL=$${SOCKETIO_REDIS_URL:-redis://$$REDIS_HOST:$$REDIS_PORT/$$REDIS_DB} \
		SOCKETIO_REDIS_CHANNEL=$${SOCKETIO_REDIS_CHANNEL:-$$REDIS_KEY_PREFIX:socketio} && \
	$(BIN)/cps-backend migrate && $(BIN)/cps-backend demo-data && \
	echo "Rasa instances: http://localhost:$(RASA_PORT_A) and :$(RASA_PORT_B); support page http://localhost:$(WEB_PORT)/" && \
	$(BIN)/honcho start -f Procfile.production

test: setup
	@$(BIN)/python -m pytest

# Trainers' checks: Rasa's own, then ours (counts, duplicates, split, annotations, language, translations).
validate: setup
	@$(BIN)/rasa data validate --domain domain.yml --data bot/data --config config.yml --fail-on-warnings 2>/dev/null \
		|| $(BIN)/rasa data validate --domain domain.yml --data bot/data --config config.yml
	@$(BIN)/python -m bot.validate_data

# Learning from real conversations: export what the bot struggled with, a trainer annotates
# reviews/<lang>.yml, import adds the examples to bot/data/nlu/<lang>.yml.
review-export: setup
	@$(BIN)/python -m bot.review export
review-import: setup
	@$(BIN)/python -m bot.review import

# Per-language NLU accuracy and F1 on the test splits, confusion matrices in reports/.
evaluate: model
	@$(BIN)/python -m bot.evaluate

# Load test at 1, 10 and 50 concurrent conversations against a stock Rasa 3.6 baseline trained on
# the same data (the baseline model trains once, about an hour and a half on 2 cores); report in reports/bench.md.
bench: model
	@$(BIN)/python -m bench.run $(BENCH_ARGS)

# One service alone (each needs `make setup`; rasa needs `make model`, backend `make db`).
backend: db
	$(BIN)/cps-backend serve --port $(BACKEND_PORT)
actions: setup
	$(BIN)/rasa run actions --actions bot.actions --port $(ACTION_PORT)
rasa: model
	TF_INTRA_OP_PARALLELISM_THREADS=1 TF_INTER_OP_PARALLELISM_THREADS=1 TF_ENABLE_ONEDNN_OPTS=0 $(BIN)/rasa run --enable-api --auth-token $(RASA_TOKEN) --cors '*' --port $(RASA_PORT) --model $$($(BIN)/python -m bot.training) --endpoints endpoints.yml --credentials credentials.yml
web: setup
	$(BIN)/python -m web.serve --port $(WEB_PORT)

clean:
	rm -rf var bot/models/*.tar.gz .pytest_cache
