"""Rasa's SQL tracker store with the two queries of every turn written as plain SQL.

Every message reads the conversation's latest session and, when the turn is saved, counts the
events already stored to append only the new ones. Rasa 3.6 builds both as SQLAlchemy ORM queries
each time, and the bench's profile found about 9 % of the Rasa server's CPU in SQLAlchemy building
their cache keys, plus the ORM's unit of work for the inserts (docs/performance.md). Here the two
reads are fixed SQL texts and the new events go in with one Core insert.

Same table, same rows, same selection as SQLTrackerStore (the events from the latest
session_started on, by timestamp, or all of them), so Rasa's own store reads what this one wrote
and the other way round. Other dialects, and reads across all sessions, stay Rasa's.
"""
import itertools
import json
from typing import Any, Dict, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

PLAIN_SQL_DIALECTS = ("sqlite", "postgresql")

_LATEST_SESSION = """
    FROM events
    WHERE sender_id = :sender_id
      AND (timestamp >= (SELECT max(timestamp) FROM events
                         WHERE sender_id = :sender_id AND type_name = :session_started)
           OR (SELECT max(timestamp) FROM events
               WHERE sender_id = :sender_id AND type_name = :session_started) IS NULL)
"""
READ_LATEST_SESSION = sa.text(f"SELECT data {_LATEST_SESSION} ORDER BY id")
COUNT_LATEST_SESSION = sa.text(f"SELECT count(*) {_LATEST_SESSION}")


class PlainSQLTrackerStore(SQLTrackerStore):
    """`tracker_store: type: bot.tracker_store.PlainSQLTrackerStore` with SQLTrackerStore's settings."""

    @property
    def _plain_sql(self) -> bool:
        return self.engine.dialect.name in PLAIN_SQL_DIALECTS

    @staticmethod
    def _parameters(sender_id: Text) -> Dict[Text, Any]:
        return {"sender_id": sender_id, "session_started": SessionStarted.type_name}

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        if not self._plain_sql:
            return await super().retrieve(sender_id)
        with self.engine.connect() as connection:
            rows = connection.execute(READ_LATEST_SESSION, self._parameters(sender_id)).fetchall()
        events = [json.loads(data) for (data,) in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not self._plain_sql:
            return await super().save(tracker)
        await self.stream_events(tracker)
        with self.engine.begin() as connection:   # one transaction: count, then append
            stored = connection.execute(COUNT_LATEST_SESSION, self._parameters(tracker.sender_id)).scalar()
            rows = [self._row(tracker.sender_id, event) for event in itertools.islice(tracker.events, stored, None)]
            if rows:
                connection.execute(self.SQLEvent.__table__.insert(), rows)

    @staticmethod
    def _row(sender_id: Text, event: Event) -> Dict[Text, Any]:
        """The columns SQLTrackerStore.save writes for one event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
