"""The support page in a real browser: the chat works, in the site's language, for a logged-in
demo customer, and the conversation survives a reload."""
from tests.responses import pattern
from tests.services import ROOT

REPORTS = ROOT / "reports"


def bot_texts(page):
    return page.locator(".msg.bot").all_inner_texts()


def send(page, text, expected_bot_messages):
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length >= {expected_bot_messages}",
                           timeout=60_000)


def test_a_customer_chats_on_the_support_page(browser, web_service):
    context = browser.new_context()
    page = context.new_page()
    page.goto(web_service.url)
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#site-language", "fi")
    assert page.inner_text("h1") == "Yritystili ja CPS-jäsenyys"
    page.wait_for_function("document.querySelectorAll('#demo-customer option').length > 1")
    page.select_option("#demo-customer", "demo-fi-no-old-email")
    page.wait_for_timeout(500)   # the login token is fetched from the backend
    send(page, "miksi en näe sinistä SIIRRÄ TUOTTEITA -painiketta?", 2)   # the answer and the remedies
    answer = "\n".join(bot_texts(page))
    assert pattern("utter_migrate_button_no_old_email", "fi").search(answer), answer
    buttons = page.locator(".msg.bot .buttons button").all_inner_texts()
    assert len(buttons) == 2
    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "support-page.png"), full_page=True)

    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert "\n".join(bot_texts(page)) == answer   # the history survives a reload …
    other_tab = context.new_page()
    other_tab.goto(web_service.url)
    other_tab.wait_for_selector("body[data-ready=true]")
    assert "\n".join(bot_texts(other_tab)) == answer   # … and is the same in another tab
    context.close()
