"""bot/tracker_store.py against Rasa's own SQLTrackerStore, on SQLite and on the real Postgres:
the same conversations saved turn by turn, and each store reads exactly what the other wrote."""
import asyncio

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.tracker_store import PlainSQLTrackerStore
from tests import services
from tests.services import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def session_start():
    return [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


def turn(text, intent, answer, language="fi"):
    return [UserUttered(text, intent={"name": intent, "confidence": 0.93}), SlotSet("language", language),
            ActionExecuted(f"utter_{intent}"), BotUttered(answer, metadata={"utter_action": f"utter_{intent}"}),
            ActionExecuted("action_listen")]


# Three turns, then a new session (the slot carried over), then one more turn.
CONVERSATION = [session_start(), turn("hei", "greet", "Hei!"),
                turn("en näe SIIRRÄ TUOTTEITA -painiketta", "migrate_button_missing", "Sininen painike…"),
                turn("kiitos", "thank", "Ole hyvä!"),
                session_start() + [SlotSet("language", "fi"), ActionExecuted("action_listen")],
                turn("paljonko pisteitä minulla on", "check_points", "Sinulla on 480 pistettä.")]


def events_of(tracker):
    return tracker.current_state(EventVerbosity.ALL)["events"] if tracker else []


def save_turn_by_turn(store, sender_id):
    """As Rasa handles messages: read the tracker, add the turn's events, save; the last tracker."""
    for events in CONVERSATION:
        tracker = asyncio.run(store.retrieve(sender_id)) or DialogueStateTracker(sender_id, DOMAIN.slots)
        for event in events:
            tracker.update(event)
        asyncio.run(store.save(tracker))
    return tracker


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request, tmp_path):
    if request.param == "sqlite":
        settings = {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
        yield PlainSQLTrackerStore(DOMAIN, **settings), SQLTrackerStore(DOMAIN, **settings)
        return
    user = services.postgres_user()
    if user is None:
        pytest.skip("Postgres at 127.0.0.1:5432 is not reachable")
    database = services.create_postgres_database(user)
    settings = {"dialect": "postgresql", "host": services.PG_HOST, "port": services.PG_PORT,
                "db": database, "username": user}
    ours, rasas = PlainSQLTrackerStore(DOMAIN, **settings), SQLTrackerStore(DOMAIN, **settings)
    yield ours, rasas
    ours.engine.dispose(), rasas.engine.dispose()
    services.drop_postgres_database(user, database)


def test_both_stores_read_the_same_trackers_whoever_wrote_them(stores):
    ours, rasas = stores
    save_turn_by_turn(ours, "by-ours")
    save_turn_by_turn(rasas, "by-rasa")
    reference = asyncio.run(rasas.retrieve("by-rasa"))      # Rasa's store reading its own rows
    latest = events_of(reference)
    assert latest[0]["event"] == "session_started" and latest[-2]["event"] == "bot", latest   # the second session
    assert "pisteitä" in reference.latest_message.text and reference.get_slot("language") == "fi"
    everything = events_of(asyncio.run(rasas.retrieve_full_tracker("by-rasa")))
    assert len(everything) > len(latest)
    for reader in (ours, rasas):
        for sender in ("by-ours", "by-rasa"):
            assert events_of(asyncio.run(reader.retrieve(sender))) == latest, (type(reader).__name__, sender)
            assert events_of(asyncio.run(reader.retrieve_full_tracker(sender))) == everything, (type(reader).__name__, sender)


def test_saving_again_writes_nothing_twice(stores):
    ours, rasas = stores
    tracker = save_turn_by_turn(ours, "saved-twice")
    before = events_of(asyncio.run(rasas.retrieve_full_tracker("saved-twice")))
    asyncio.run(ours.save(tracker))   # nothing new since the last save
    assert events_of(asyncio.run(rasas.retrieve_full_tracker("saved-twice"))) == before


def test_an_unknown_conversation_has_no_tracker(stores):
    ours, _ = stores
    assert asyncio.run(ours.retrieve("nobody-wrote-this")) is None
