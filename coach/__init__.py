"""The coaching core, with no Rasa in it: content loading and validation, scoring an answer (criteria, STAR, gaming,
CX concepts, red flags), the embedding model, feedback and the summary, and the JSON Lines scorer."""
