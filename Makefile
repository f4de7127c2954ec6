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

.PHONY: setup run test train model db evaluate validate review-export review-import backend actions rasa web clean

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

# One service alone (each needs `make setup`; rasa needs `make model`, backend `make db`).
backend: db
	$(BIN)/cps-backend serve --port $(BACKEND_PORT)
actions: setup
	$(BIN)/rasa run actions --actions bot.actions --port $(ACTION_PORT)
rasa: model
	$(BIN)/rasa run --enable-api --auth-token $(RASA_TOKEN) --cors '*' --port $(RASA_PORT) --model $$($(BIN)/python -m bot.training) --endpoints endpoints.yml --credentials credentials.yml
web: setup
	$(BIN)/python -m web.serve --port $(WEB_PORT)

clean:
	rm -rf var bot/models/*.tar.gz .pytest_cache
