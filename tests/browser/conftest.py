"""A real Chromium (Debian's package) driven by Playwright, against the real services."""
import shutil

import pytest

from tests import services

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")   # Playwright's sync API holds an event loop: release it after the module
def browser():
    if not CHROMIUM:
        pytest.fail("Chromium is not installed: run `make setup` (installs Debian's chromium) or apt install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def web_service(live_dir, rasa_service, backend_service):
    port = services.free_port()
    env = {"RASA_URL": rasa_service.url, "BACKEND_URL": backend_service.url}
    service = services.Service("web", [str(services.BIN / "python"), "-m", "web.serve", "--host", "127.0.0.1",
                                       "--port", str(port)], env, live_dir)
    service.url = f"http://127.0.0.1:{port}"
    service.start().wait_for_url(f"{service.url}/config.json", timeout=30)
    yield service
    service.stop()
