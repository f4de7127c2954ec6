"""Train a model only when none matches the current data, config and domain.

The model file is named after a fingerprint of everything training reads, so an unchanged
project finds its model by name and never retrains. Translations (locales/) are read at run
time by the NLG and do not need a new model.

    python -m bot.training            # prints the model path, training first if needed
"""
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = ROOT / "bot" / "models"
DATA_DIR = ROOT / "bot" / "data"
INPUTS = [ROOT / "config.yml", ROOT / "domain.yml"]


def fingerprint() -> str:
    digest = hashlib.sha256()
    files = INPUTS + sorted(p for p in DATA_DIR.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    from importlib.metadata import version

    digest.update(version("rasa").encode())
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS_DIR / f"model-{fingerprint()}.tar.gz"


def ensure_model() -> Path:
    path = model_path()
    if path.exists():
        return path
    print(f"Training a new model into {path} (about a minute)...", file=sys.stderr)
    command = [
        str(Path(sys.executable).parent / "rasa"), "train",
        "--config", str(ROOT / "config.yml"),
        "--domain", str(ROOT / "domain.yml"),
        "--data", str(DATA_DIR),
        "--out", str(MODELS_DIR),
        "--fixed-model-name", path.name[: -len(".tar.gz")],
    ]
    # Training output goes to stderr so that stdout carries only the model path.
    subprocess.run(command, check=True, cwd=ROOT, stdout=sys.stderr)
    return path


if __name__ == "__main__":
    print(ensure_model())
