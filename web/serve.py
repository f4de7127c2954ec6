"""Serves the support-site page and tells it where Rasa and the backend are (/config.json)."""
import argparse
import json
import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from bot import languages

STATIC_DIR = Path(__file__).resolve().parent / "static"


def site_config() -> dict:
    """Where the services are, and every configured language with the page's texts in it."""
    site_languages = {}
    for code, name in languages.supported().items():
        with open(languages.LOCALES_DIR / f"{code}.yml", encoding="utf-8") as f:
            site_languages[code] = {"name": name, "labels": (yaml.safe_load(f) or {}).get("site", {})}
    return {
        "rasaUrl": os.environ.get("RASA_URL", "http://localhost:5005"),
        "backendUrl": os.environ.get("BACKEND_URL", "http://localhost:8000"),
        "defaultLanguage": languages.default(),
        # The widget's input stops where the chat channel would refuse (bot/channels.py).
        "maxMessageChars": int(os.environ.get("CHAT_MAX_MESSAGE_CHARS") or 2000),
        "languages": site_languages,
    }


class SiteHandler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/config.json":
            body = json.dumps(site_config()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # keep the Procfile output readable
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8080)))
    args = parser.parse_args()
    handler = partial(SiteHandler, directory=str(STATIC_DIR))
    server = ThreadingHTTPServer((args.host, args.port), handler)
    print(f"Support page on http://localhost:{args.port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
