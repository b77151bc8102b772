"""Rasa's WhitespaceTokenizer, reading at most the first `max_chars` characters of a message.

Every later step of the NLU pipeline (the featurizers, DIET) works on these tokens, and their cost grows with them:
a 40,000-character answer held Rasa's event loop, and every other user's webhook with it, for 8-12 seconds, and a
1 MB message made DIET run out of memory. The intents the NLU tells apart are short commands, so the start of a
message decides its intent. Only what the NLU reads is capped: the message itself, which the interview form takes as
the answer and the coach scores, is stored whole. Messages over the bot's hard limit never get here
(channels/message_limit.py).
"""

import logging
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class CappedWhitespaceTokenizer(WhitespaceTokenizer):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**WhitespaceTokenizer.get_default_config(), "max_chars": 2000}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.max_chars = int(self._config["max_chars"])
        if self.max_chars < 1:
            raise ValueError(f"CappedWhitespaceTokenizer: max_chars must be positive, not {self.max_chars}")

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        if not isinstance(text, str) or len(text) <= self.max_chars:
            return super().tokenize(message, attribute)
        logger.debug("Tokenizing the first %d of %d characters", self.max_chars, len(text))
        # A copy holding the start of the text: the message's own text is left whole for the tracker.
        capped = Message(data={attribute: text[: self.max_chars]})
        return super().tokenize(capped, attribute)
