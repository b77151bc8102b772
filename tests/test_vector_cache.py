"""The on-disk store of criterion vectors: it must never hand back a vector for other text or another model."""

import numpy as np

from coach.embedding import Embedder, VectorFile, model_fingerprint


def test_vectors_round_trip_by_exact_text(tmp_path):
    store = VectorFile(tmp_path, "model-a")
    vectors = {"Names NPS.": np.array([1.0, 0.0], dtype=np.float32),
               "Names CSAT.": np.array([0.0, 1.0], dtype=np.float32)}
    store.save(vectors)
    loaded = VectorFile(tmp_path, "model-a").load()
    assert set(loaded) == set(vectors)
    assert np.array_equal(loaded["Names CSAT."], vectors["Names CSAT."])
    assert VectorFile(tmp_path, "model-b").load() == {}  # another model's file is a different file


def test_a_damaged_file_is_ignored(tmp_path):
    store = VectorFile(tmp_path, "model-a")
    store.path.write_bytes(b"not a numpy file")
    assert store.load() == {}


def test_fingerprint_changes_when_the_model_files_change(tmp_path):
    (tmp_path / "weights.bin").write_bytes(b"12345")
    before = model_fingerprint(str(tmp_path))
    assert model_fingerprint(str(tmp_path)) == before
    (tmp_path / "weights.bin").write_bytes(b"123456")
    assert model_fingerprint(str(tmp_path)) != before


def test_a_new_embedder_reads_stored_vectors_and_embeds_new_text(coach, tmp_path):
    """Stored vectors are used for the same text under the same model; a text never seen is embedded afresh."""
    texts = ["Explains what churn is.", "Names the customer effort score."]
    fresh = coach.embedder.encode(texts)
    VectorFile(tmp_path, coach.embedder.vectors_id).save(dict(zip(texts, fresh)))
    second = Embedder(coach.settings.embedding_model, cache_dir=tmp_path, backend=coach.embedder.backend)
    assert np.allclose(second.encode_cached(texts), fresh, atol=1e-6)
    edited = "Explains what churn is and why it matters."
    assert np.allclose(second.encode_cached([edited])[0], coach.embedder.encode([edited])[0], atol=1e-5)
    second.save_vectors()
    assert edited in VectorFile(tmp_path, coach.embedder.vectors_id).load()
