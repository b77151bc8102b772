"""How people reach the bot, beyond Rasa's own channels: our Slack and REST input channels with the bot's limit on
message length, loaded by the Rasa server (see credentials.yml, credentials.slack.yml), and the terminal chat of
`make shell`, a client of the REST channel."""
