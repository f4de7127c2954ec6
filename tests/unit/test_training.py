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
    for name in ("config.yml", "other.yml", "domain.yml"):
        (tmp_path / name).write_text(name)
    monkeypatch.setattr(training, "DOMAIN", tmp_path / "domain.yml")
    before = training.fingerprint(tmp_path / "config.yml")
    (data / "nlu.yml").write_text("b")
    assert training.fingerprint(tmp_path / "config.yml") != before
    assert training.fingerprint(tmp_path / "other.yml") != training.fingerprint(tmp_path / "config.yml")


def test_other_configs_get_their_own_model_name():
    stock = training.ROOT / "configs" / "rasa-stock.yml"
    assert training.model_path(stock).name == f"rasa-stock-{training.fingerprint(stock)}.tar.gz"
