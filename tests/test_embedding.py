"""The embedder: parts of sentences pooled from one pass of the model, and the int8 ONNX backend it runs on by default.

These use the real all-MiniLM-L6-v2 model. Vectors from the pooled parts and from the int8 weights are not identical
to embedding each text with PyTorch; the tests pin how close they must stay.
"""

import json
import logging
import subprocess
import sys

import numpy as np
import pytest

from coach.embedding import Embedder, model_fingerprint, plain_mean_pooling_model
from coach.encoders import OnnxTokens, hf_tokenizer, onnx_path
from coach.settings import onnx_dir

SENTENCES = [
    "We sent a short CSAT survey after every closed ticket, and the support leads read the comments each Monday.",
    "Scores rose from 78 to 86 percent within a quarter.",
]


def test_a_whole_sentence_span_is_the_sentence_vector(coach):
    embedder = coach.embedder
    spans = [[(0, 0, len(SENTENCES[0]))], [(1, 0, len(SENTENCES[1]))]]
    assert np.allclose(embedder.encode_spans(SENTENCES, spans), embedder.encode(SENTENCES), atol=1e-5)


def test_a_clause_pooled_from_its_sentence_stays_close_to_the_clause_embedded_alone(coach):
    """The pooled clause carries some of its sentence's context (over 543 clauses of graded answers the cosine with
    the clause alone averaged 0.76), but it is still nearest to its own words: 91% of those clauses were nearest to
    their own text among their answer's clauses."""
    embedder = coach.embedder
    clause = "the support leads read the comments each Monday"
    start = SENTENCES[0].index(clause)
    pooled = embedder.encode_spans(SENTENCES, [[(0, start, start + len(clause))]])[0]
    alone, unrelated, first_clause = embedder.encode(
        [clause, "Scores rose from 78 to 86 percent within a quarter.", "We sent a short CSAT survey"])
    assert float(pooled @ alone) > 0.6
    assert float(pooled @ alone) > float(pooled @ unrelated) + 0.3
    assert float(pooled @ alone) > float(pooled @ first_clause)


def test_a_pair_of_sentences_lies_between_them(coach):
    embedder = coach.embedder
    pair = embedder.encode_spans(SENTENCES, [[(0, 0, len(SENTENCES[0])), (1, 0, len(SENTENCES[1]))]])[0]
    first, second = embedder.encode(SENTENCES)
    assert float(pair @ first) > float(first @ second)
    assert float(pair @ second) > float(first @ second)


def test_a_part_cut_off_by_the_length_limit_is_embedded_as_a_text(coach):
    """The model reads 256 tokens of a passage at most; a part beyond them must not come back empty or as zeros."""
    embedder = coach.embedder
    passage = " ".join(["Customers wrote in about delayed parcels."] * 60) + " Refund the late orders quickly."
    tail = "Refund the late orders quickly."
    start = passage.index(tail)
    vector = embedder.encode_spans([passage], [[(0, start, start + len(tail))]])[0]
    assert np.allclose(vector, embedder.encode([tail])[0], atol=1e-5)


def test_the_int8_backend_keeps_the_model_s_meaning(coach):
    """The default int8 ONNX export against the same model run by PyTorch: vectors nearly identical, and both rank
    a paraphrase above an unrelated sentence."""
    assert coach.embedder.backend == "onnx-int8"
    torch_embedder = Embedder(coach.settings.embedding_model, cache_dir=None, backend="torch")
    texts = SENTENCES + ["How likely are customers to recommend us to a friend?",
                         "I rebuilt the returns page so fewer people had to call us."]
    agreement = np.sum(coach.embedder.encode(texts) * torch_embedder.encode(texts), axis=1)
    assert agreement.min() > 0.96, agreement
    for embedder in (coach.embedder, torch_embedder):
        question, paraphrase, unrelated = embedder.encode(
            ["Net promoter score", "how likely customers are to recommend us", "the parcel was late"])
        assert float(question @ paraphrase) > float(question @ unrelated) + 0.2


def test_an_unknown_backend_is_refused_with_the_choices(coach):
    with pytest.raises(ValueError, match="onnx-int8, onnx, torch"):
        Embedder(coach.settings.embedding_model, cache_dir=None, backend="tensorrt")


def test_an_onnx_export_that_cannot_be_written_falls_back_to_pytorch(coach, tmp_path, monkeypatch, caplog):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("CX_COACH_ONNX_DIR", str(blocked / "onnx"))
    with caplog.at_level(logging.WARNING, logger="coach.embedding"):
        embedder = Embedder(coach.settings.embedding_model, cache_dir=None, backend="onnx")
    assert embedder.backend == "torch"
    assert "using PyTorch" in caplog.text
    assert embedder.encode(["still works"]).shape == (1, embedder.dimension)


def test_with_its_onnx_export_written_the_model_runs_without_pytorch(coach, project_root):
    """A fresh process builds the coach and scores an answer from the export and tokenizer.json alone: that is what
    brings start-up to about a second and memory down by hundreds of MiB. (The coach fixture has written the export.)"""
    script = ("import sys; from coach.coach import get_coach; coach = get_coach(); "
              "coach.assess('measure_cx_success', 'We sent a CSAT survey after every support case.'); "
              "print(coach.embedder.backend, 'torch' in sys.modules, 'transformers' in sys.modules)")
    finished = subprocess.run([sys.executable, "-c", script], cwd=project_root, capture_output=True, text=True,
                              timeout=300, check=True)
    assert finished.stdout.split() == ["onnx-int8", "False", "False"]


def test_the_tokenizer_file_reads_text_exactly_as_the_model_s_own_tokenizer(coach):
    """The same export fed by the tokenizers library (no PyTorch) and by the sentence-transformers model's tokenizer
    gives the same vectors, for awkward input too."""
    torch_embedder = Embedder(coach.settings.embedding_model, cache_dir=None, backend="torch")
    export = onnx_path(onnx_dir(), model_fingerprint(coach.embedder.location), "onnx-int8")
    through_model = OnnxTokens(export, hf_tokenizer(torch_embedder._model.tokenizer, 256), "onnx-int8")
    texts = SENTENCES + ["Héllo wörld 😀 naïve café", "<script>alert('x')</script> & <b>bold</b>", "日本語の回答です",
                         " ".join(["escalation"] * 300)]
    for ours, theirs in zip(coach.embedder._token_vectors(texts), through_model.encode(texts)):
        assert np.array_equal(ours.starts, theirs.starts) and np.array_equal(ours.ends, theirs.ends)
        assert np.allclose(ours.vectors, theirs.vectors, atol=1e-6)


def _model_folder(tmp_path, pooling, lower_case=False):
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]))
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(dict(pooling, word_embedding_dimension=384)))
    (tmp_path / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 128,
                                                                    "do_lower_case": lower_case}))
    (tmp_path / "tokenizer.json").write_text("{}")
    return str(tmp_path)


@pytest.mark.parametrize("pooling, lower_case, expected", [
    ({"pooling_mode_mean_tokens": True}, False, (128, 384)),
    ({"pooling_mode": "mean"}, False, (128, 384)),
    ({"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}, False, None),
    ({"pooling_mode_mean_tokens": True}, True, None),  # sentence-transformers would lower-case the text first
])
def test_only_a_plain_mean_pooling_model_runs_from_its_export_alone(tmp_path, pooling, lower_case, expected):
    assert plain_mean_pooling_model(_model_folder(tmp_path, pooling, lower_case)) == expected
