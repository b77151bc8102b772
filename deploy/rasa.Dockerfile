# The Rasa server's image for deploy/helm/rasa-values.yml: Rasa Open Source 3.6.21 (its official image has the
# PostgreSQL and Redis clients), the project's code Rasa imports, and the trained model.
#   make train && docker build -f deploy/rasa.Dockerfile -t registry.example.com/cx-coach/rasa:$(git rev-parse --short HEAD) .
# Written for the Helm values; not built on the machine this project is developed on (it has no Docker).
FROM rasa/rasa:3.6.21
WORKDIR /app
# What Rasa loads from the project: the REST and Slack channels, the tracker store, the NLU component the model
# names, and what they import (the screens settings, the database layer, the bot's replies in domain.yml).
COPY --chown=1001 channels/ channels/
COPY --chown=1001 components/ components/
COPY --chown=1001 stores/ stores/
COPY --chown=1001 database/ database/
COPY --chown=1001 screening/__init__.py screening/settings.py screening/
COPY --chown=1001 coach/__init__.py coach/settings.py coach/
COPY --chown=1001 domain.yml ./
COPY --chown=1001 models/ models/
ENV PYTHONPATH=/app RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
# The chart mounts endpoints.yml and credentials.yml into /app and runs `rasa run` with its own arguments.
