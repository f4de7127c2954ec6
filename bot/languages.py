"""The supported languages, read from locales/languages.yml (configuration, not code)."""
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

import yaml

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


@lru_cache(maxsize=1)
def _config() -> dict:
    with open(LOCALES_DIR / "languages.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def supported() -> Dict[str, str]:
    """Language code -> the language's own name, in the configured order."""
    return dict(_config()["languages"])


def default() -> str:
    return _config()["default"]


def normalise(code: Optional[str]) -> Optional[str]:
    """Maps a site locale such as 'fi-FI', 'nb_NO' or 'no' to a supported code, else None."""
    if not code or not isinstance(code, str):
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    base = {"no": "nb", "nn": "nb"}.get(base, base)
    return base if base in supported() else None
