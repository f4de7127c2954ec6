"""The Rasa speed-ups change speed only: the same verdicts on action results, and SQLite commits
that survive the process."""
import asyncio

import pytest
import sqlalchemy
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from bot import rasa_speedups

rasa_speedups.install()

GOOD = [{"events": [], "responses": []},
        {"events": [{"event": "slot", "name": "language", "value": "fi"}], "responses": [{"response": "utter_greet"}]}]
BAD = [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": 5}]


@pytest.mark.parametrize("result", GOOD)
def test_valid_action_results_pass(result):
    validate(result, RemoteAction.action_response_format_spec())  # jsonschema agrees
    assert RemoteAction("action_x", None)._validate_action_result(result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_action_results_raise_like_jsonschema(result):
    with pytest.raises(ValidationError):
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError):
        RemoteAction("action_x", None)._validate_action_result(result)


def test_sqlite_tracker_databases_use_wal_and_keep_commits(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        connection.exec_driver_sql("CREATE TABLE events (id INTEGER)")
        connection.exec_driver_sql("INSERT INTO events VALUES (1)")
    engine.dispose()
    with sqlalchemy.create_engine(url).connect() as other:
        assert other.exec_driver_sql("SELECT count(*) FROM events").scalar() == 1


def test_the_sqlite_tracker_store_keeps_its_connections_and_its_turns(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.pool import QueuePool

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert isinstance(store.engine.pool, QueuePool)
    tracker = DialogueStateTracker.from_events("customer", [ActionExecuted("action_listen"), UserUttered("hei")])
    asyncio.run(store.save(tracker))
    tracker.update(ActionExecuted("utter_greet"))
    asyncio.run(store.save(tracker))
    again = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    events = asyncio.run(again.retrieve("customer")).events
    assert [e.as_dict()["event"] for e in events] == ["action", "user", "action"]
