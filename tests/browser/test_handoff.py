"""A customer asks for a person in Finnish; an agent in a second browser claims the conversation,
sees the summary and the transcript, replies; the customer sees the reply; the agent hands back and
the bot answers the customer's next message in Finnish."""
from tests.integration import phrases
from tests.responses import pattern
from tests.services import ROOT

REPORTS = ROOT / "reports"


def customer_sends(page, text):
    before = page.locator(".msg.bot").count()
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}", timeout=60_000)


def test_a_person_takes_over_and_hands_back(browser, web_service):
    customer = browser.new_context().new_page()
    customer.goto(web_service.url)
    customer.wait_for_selector("body[data-ready=true]")
    customer.select_option("#site-language", "fi")
    customer_sends(customer, "Miten koko rekisteröityminen CPS-palveluun menee alusta loppuun?")
    customer_sends(customer, phrases.HUMAN["fi"])
    told = "\n".join(customer.locator(".msg.bot").all_inner_texts())
    assert pattern("utter_handoff", "fi").search(told) or pattern("utter_handoff_outside_hours", "fi").search(told)

    agent = browser.new_context().new_page()
    agent.goto(f"{web_service.url}/agent.html")
    agent.wait_for_selector("body[data-ready=true]")
    agent.fill("#agent-name", "Anna")
    agent.fill("#agent-key", "test-staff-key")
    agent.click("#login button")
    row = agent.locator("#queue tbody tr", has_text="request_human").first
    row.wait_for(timeout=15_000)
    assert row.locator("td").first.inner_text() == "fi"
    row.locator("button", has_text="Claim").click()
    agent.wait_for_selector("#conversation:not([hidden])")
    assert "request_human" in agent.inner_text("#conversation-title")
    assert "--- transcript ---" in agent.inner_text("#summary")
    agent.wait_for_function("document.querySelectorAll('#transcript .msg.customer').length >= 2")
    assert phrases.HUMAN["fi"] in agent.inner_text("#transcript")

    # While waiting, the customer writes; the agent sees it arrive.
    customer.fill("#chat-input", "Hei, onko siellä joku?")
    customer.press("#chat-input", "Enter")
    agent.wait_for_function("document.querySelector('#transcript').innerText.includes('onko siellä joku')",
                            timeout=15_000)

    agent.fill("#reply", "Hei! Olen Anna CPS Priority Supportista. Autan mielelläni.")
    agent.press("#reply", "Enter")
    customer.wait_for_function("document.querySelector('#chat-log').innerText.includes('Olen Anna')", timeout=15_000)
    REPORTS.mkdir(exist_ok=True)
    customer.screenshot(path=str(REPORTS / "handoff-customer.png"), full_page=True)
    agent.screenshot(path=str(REPORTS / "handoff-agent-console.png"), full_page=True)

    before = customer.locator(".msg.bot").count()
    agent.click("#handback")
    customer.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}", timeout=15_000)
    assert pattern("utter_handed_back", "fi").search(customer.locator(".msg.bot").last.inner_text())

    customer_sends(customer, phrases.DOCUMENTS["fi"])
    assert pattern("utter_ask_required_documents", "fi").search(customer.locator(".msg.bot").last.inner_text())
