"""Custom Rasa NLU components, loaded by the Rasa server from config.yml."""
