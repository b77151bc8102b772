"""Rasa input channels of our own, loaded by the Rasa server (see credentials.slack.yml)."""
