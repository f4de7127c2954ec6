"""Train a model only when none matches the current data, config and domain.

The model file is named after a fingerprint of everything training reads, so an unchanged
project finds its model by name and never retrains. Translations (locales/) are read at run
time by the NLG and do not need a new model.

    python -m bot.training                          # prints the model path, training first if needed
    python -m bot.training configs/rasa-stock.yml   # the same for another config (bench baseline)
"""
import fcntl
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = ROOT / "bot" / "models"
DATA_DIR = ROOT / "bot" / "data"
CONFIG = ROOT / "config.yml"
DOMAIN = ROOT / "domain.yml"


def fingerprint(config: Path = CONFIG) -> str:
    digest = hashlib.sha256()
    files = [config, DOMAIN] + sorted(p for p in DATA_DIR.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    from importlib.metadata import version

    digest.update(version("rasa").encode())
    return digest.hexdigest()[:16]


def model_path(config: Path = CONFIG) -> Path:
    prefix = "model" if config == CONFIG else config.stem
    return MODELS_DIR / f"{prefix}-{fingerprint(config)}.tar.gz"


def ensure_model(config: Path = CONFIG) -> Path:
    config = Path(config).resolve()
    path = model_path(config)
    if path.exists():
        return path
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    # Two test runs (or `make run` and `make test`) asking at once: the second waits for the
    # first one's model instead of training the same thing again.
    with open(MODELS_DIR / f".{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _train(config, path)
    return path


def _train(config: Path, path: Path) -> None:
    print(f"Training a new model into {path} (minutes; cached parts are reused)...", file=sys.stderr)
    command = [
        str(Path(sys.executable).parent / "rasa"), "train",
        "--config", str(config),
        "--domain", str(DOMAIN),
        "--data", str(DATA_DIR),
        "--out", str(MODELS_DIR),
        "--fixed-model-name", path.name[: -len(".tar.gz")],
    ]
    # Training output goes to stderr so that stdout carries only the model path.
    subprocess.run(command, check=True, cwd=ROOT, stdout=sys.stderr)


if __name__ == "__main__":
    print(ensure_model(Path(sys.argv[1]) if len(sys.argv) > 1 else CONFIG))
