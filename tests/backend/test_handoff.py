"""Handoff tickets (service level)."""
import threading

import pytest

from backend.errors import DomainError
from backend.models import HandoffTicket
from backend.services import handoff


def _ticket(session):
    return handoff.create_ticket(session, conversation_id="conv-1", language="fi", reason="customer_asked",
                                 summary="Asiakas ei näe SIIRRÄ TUOTTEITA -painiketta", customer_ref="c-x")


def test_lifecycle(session):
    t = _ticket(session)
    assert t.status == "open" and t.ref.startswith("t-")
    assert [x.ref for x in handoff.list_tickets(session, "open")] == [t.ref]
    t = handoff.claim_ticket(session, t.ref, "agent.anna")
    assert t.status == "claimed" and t.assigned_agent == "agent.anna"
    with pytest.raises(DomainError) as err:
        handoff.claim_ticket(session, t.ref, "agent.bob")
    assert err.value.code == "ticket_already_claimed"
    with pytest.raises(DomainError) as err:
        handoff.close_ticket(session, t.ref, "agent.bob")
    assert err.value.code == "not_assigned"
    t = handoff.close_ticket(session, t.ref, "agent.anna", "Handed back to the bot")
    assert t.status == "closed" and t.close_note == "Handed back to the bot"
    with pytest.raises(DomainError) as err:
        handoff.claim_ticket(session, t.ref, "agent.anna")
    assert err.value.code == "ticket_closed"


def test_bad_language(session):
    with pytest.raises(DomainError) as err:
        handoff.create_ticket(session, conversation_id="c", language="de", reason="r", summary="s")
    assert err.value.code == "language_not_supported"


def test_two_agents_can_never_claim_the_same_ticket(session, session_factory):
    ref = _ticket(session).ref
    barrier = threading.Barrier(4)
    won, lost = [], []

    def claim(agent):
        with session_factory() as s:
            barrier.wait()
            try:
                handoff.claim_ticket(s, ref, agent)
                won.append(agent)
            except DomainError as exc:
                lost.append(exc.code)

    threads = [threading.Thread(target=claim, args=(f"agent{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and lost == ["ticket_already_claimed"] * 3
    session.expire_all()
    assert session.query(HandoffTicket).one().assigned_agent == won[0]
