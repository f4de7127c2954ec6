"""The model fingerprint changes exactly when training inputs change."""
from bot import training


def test_fingerprint_is_stable_and_names_the_model():
    assert training.fingerprint() == training.fingerprint()
    assert training.model_path().name == f"model-{training.fingerprint()}.tar.gz"


def test_fingerprint_follows_the_training_data(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "nlu.yml").write_text("a")
    monkeypatch.setattr(training, "DATA_DIR", data)
    monkeypatch.setattr(training, "ROOT", tmp_path)
    monkeypatch.setattr(training, "INPUTS", [])
    before = training.fingerprint()
    (data / "nlu.yml").write_text("b")
    assert training.fingerprint() != before
