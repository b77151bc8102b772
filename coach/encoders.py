"""What runs the embedding model: PyTorch through sentence-transformers, or the same weights exported to ONNX and run
by ONNX Runtime, by default with int8 weights.

Both give token vectors: one row per token of a text (its [CLS] and [SEP] included), from the model's last layer,
with each token's place in the text.
The Embedder pools them into sentence vectors, or into vectors for parts of a sentence (coach/embedding.py).

Why int8 ONNX is the default (2-core machine, 2026-11-23, seven sentences of a 150-word answer): PyTorch took about
55 ms, ONNX Runtime with the same float weights about 43 ms, and with int8 weights about 26-30 ms. The int8 vectors
keep a cosine of 0.991 on average (0.973 at worst) with the float ones over 400 answer sentences, and held-out
agreement with the graded answers stayed where it was with float weights (bench/calibrate.py). Only the matrix
products with a weight are quantized; the two inside attention multiply activations by activations, which int8 makes
slower and no more faithful.

The ONNX file is written once per model, next to the stored vectors (.cache/onnx/), and reused; once it is there,
the model runs with neither PyTorch nor transformers loaded (Embedder._open_export).
"""

import logging
import os
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Sequence, Tuple

import numpy as np

logger = logging.getLogger(__name__)

BACKENDS = ("onnx-int8", "onnx", "torch")
# sentence-transformers sorts texts by length and pads each batch to its longest text, and a sentence's units differ a
# lot in length: 23 units took 99 ms in batches of 8 against 129 ms in one batch of 32 (2-core machine, 2026-11-23).
TORCH_BATCH_SIZE = 8
_MODEL_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


@dataclass(frozen=True)
class TokenVectors:
    """One text through the model: a row per token, and where each token sits in the text (characters start..end;
    [CLS] and [SEP] have 0..0)."""

    vectors: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def _offsets(encoded, index: int) -> Tuple[np.ndarray, np.ndarray]:
    offsets = np.array(encoded["offset_mapping"][index], dtype=np.int64).reshape(-1, 2)
    return offsets[:, 0], offsets[:, 1]


class TorchTokens:
    """Token vectors from the sentence-transformers model itself."""

    name = "torch"

    def __init__(self, model):
        self._model = model

    def encode(self, texts: Sequence[str]) -> List[TokenVectors]:
        rows = self._model.encode(list(texts), output_value="token_embeddings", show_progress_bar=False,
                                  batch_size=TORCH_BATCH_SIZE)
        encoded = self._model.tokenizer(list(texts), return_offsets_mapping=True, truncation=True,
                                        max_length=self._model.max_seq_length)
        return [TokenVectors(row.float().cpu().numpy(), *_offsets(encoded, index)) for index, row in enumerate(rows)]


class OnnxTokens:
    """Token vectors from an ONNX export of the model's transformer, one text per run (no padding to pay for).

    `tokenize(texts)` returns, per text, its token ids, type ids and character offsets (see file_tokenizer and
    hf_tokenizer): the sentence-transformers model's own tokenizer, or the same one read from the model's
    tokenizer.json without loading PyTorch.
    """

    def __init__(self, path: Path, tokenize: Callable[[Sequence[str]], List["Tokens"]], name: str):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # ONNX Runtime's threads otherwise spin for a while after each run, waiting for the next: on two cores shared
        # with the Rasa server that doubled the CPU a sentence costs and took it from Rasa (make loadtest, 25
        # candidates: 8-11 turns/s spinning, 15 without). The vectors are the same either way.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._inputs = [model_input.name for model_input in self._session.get_inputs()]
        self._tokenize = tokenize
        self.name = name

    def encode(self, texts: Sequence[str]) -> List[TokenVectors]:
        rows = []
        for tokens in self._tokenize(texts):
            ids = np.array([tokens.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                    "token_type_ids": np.array([tokens.type_ids], dtype=np.int64)}
            vectors = self._session.run(None, {name: feed[name] for name in self._inputs})[0][0]
            rows.append(TokenVectors(vectors, tokens.starts, tokens.ends))
        return rows


@dataclass(frozen=True)
class Tokens:
    ids: List[int]
    type_ids: List[int]
    starts: np.ndarray
    ends: np.ndarray


def hf_tokenizer(tokenizer, max_length: int) -> Callable[[Sequence[str]], List[Tokens]]:
    """Tokenize with a Hugging Face tokenizer (the one a loaded SentenceTransformer carries)."""
    def tokenize(texts: Sequence[str]) -> List[Tokens]:
        encoded = tokenizer(list(texts), truncation=True, max_length=max_length, return_offsets_mapping=True)
        type_ids = encoded.get("token_type_ids") or [[0] * len(ids) for ids in encoded["input_ids"]]
        return [Tokens(encoded["input_ids"][index], type_ids[index], *_offsets(encoded, index))
                for index in range(len(texts))]

    return tokenize


def file_tokenizer(path: Path, max_length: int) -> Callable[[Sequence[str]], List[Tokens]]:
    """Tokenize with the model's tokenizer.json through the `tokenizers` library, which needs neither PyTorch nor
    transformers. Over 526 answer sentences (accents, emoji, markup, Japanese, a 400-word run) it gave exactly the ids
    and offsets of the model's own tokenizer."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_length)
    tokenizer.no_padding()

    def tokenize(texts: Sequence[str]) -> List[Tokens]:
        rows = []
        # One text at a time: encode_batch would hand a few short sentences to a thread pool, whose threads then
        # compete with ONNX Runtime's for the two cores.
        for encoding in map(tokenizer.encode, texts):
            offsets = np.array(encoding.offsets, dtype=np.int64).reshape(-1, 2)
            rows.append(Tokens(encoding.ids, encoding.type_ids, offsets[:, 0], offsets[:, 1]))
        return rows

    return tokenize


def transformer_of(model):
    """The Hugging Face model inside a SentenceTransformer (the attribute was renamed in sentence-transformers 6)."""
    first = model[0]
    return getattr(first, "model", None) or first.auto_model


def onnx_path(directory: Path, fingerprint: str, backend: str) -> Path:
    return Path(directory) / f"{fingerprint}-{backend}.onnx"


def load_onnx_tokens(model, backend: str, directory: Path, fingerprint: str) -> OnnxTokens:
    """Open the model's ONNX export for this backend, writing it first if it is not there yet."""
    path = onnx_path(directory, fingerprint, backend)
    if not path.is_file():
        export_onnx(model, path, quantize=backend == "onnx-int8")
    return OnnxTokens(path, hf_tokenizer(model.tokenizer, model.max_seq_length), backend)


def export_onnx(model, path: Path, quantize: bool) -> None:
    """Write the transformer of a SentenceTransformer to `path` as ONNX (a few seconds); with quantize, int8 weights.

    Written to a temporary file and then renamed, so a process that starts meanwhile never opens half a file.
    """
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    input_names = [name for name in _MODEL_INPUTS if name in model.tokenizer("a")]
    sample = model.tokenizer(["a short text", "a second, longer text"], padding=True, return_tensors="pt")
    dynamic = {name: {0: "batch", 1: "tokens"} for name in [*input_names, "token_vectors"]}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        float_path = Path(work) / "float.onnx"
        # The tracer warns about branches on tensor sizes inside transformers' masking and attention code; with no
        # key-value cache and an attention mask always given, those branches go one way for every input length.
        # tests/test_embedding.py checks the export against PyTorch on texts of many lengths.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(_last_hidden_state(transformer_of(model), input_names),
                              tuple(sample[name] for name in input_names), str(float_path),
                              input_names=input_names, output_names=["token_vectors"], dynamic_axes=dynamic,
                              opset_version=17, dynamo=False)
        result = float_path
        if quantize:
            result = Path(work) / "int8.onnx"
            quantize_weights(float_path, result)
        os.chmod(result, 0o644)
        os.replace(result, path)
    logger.info("Exported the embedding model to %s in %.1f s", path, time.perf_counter() - started)


def quantize_weights(source: Path, target: Path) -> None:
    """int8 weights, one scale per output channel, for every matrix product that has a weight."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source)).graph
    weights = {initializer.name for initializer in graph.initializer}
    activations_only = [node.name for node in graph.node
                        if node.op_type == "MatMul" and not any(name in weights for name in node.input)]
    # The quantizer logs a line per tensor it leaves alone, through the root logger: keep that out of our logs.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=activations_only)
    finally:
        root.setLevel(level)


def _last_hidden_state(transformer, input_names):
    """The transformer as a module with positional inputs and one output, which is what the ONNX export wants."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs):
            return self.transformer(**dict(zip(input_names, inputs))).last_hidden_state

    return LastHiddenState().eval()
