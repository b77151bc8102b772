"""How people reach the bot, beyond Rasa's own channels: our Slack input channel, loaded by the Rasa server (see
credentials.slack.yml), and the terminal chat of `make shell`, a client of the REST channel."""
