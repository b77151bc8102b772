"""The recruiter pre-screen, with no Rasa in it: settings, the recruiter allowlist, screening content, reading
recruiter commands, the screens database, the report and its exports, and the Slack Web API calls."""
