"""Rasa's Redis lock store with atomic ticket updates, for several Rasa instances or workers.

Rasa 3.6's RedisLockStore changes a conversation's ticket lock by reading it, changing it in the
process and writing it back. Two instances receiving a message of the same conversation at the same
moment both read the same lock, both issue the same ticket number and both write: each believes it
holds the lock, both process the conversation at once, and the SQL tracker store then keeps only
one of the two turns (it appends the events beyond the count already stored). The fix in Rasa's
own line, ConcurrentRedisLockStore, ships only with Rasa Pro.

Here every read-modify-write of a lock runs in a Redis transaction that watches the lock's key and
retries if another instance changed it meanwhile. The stored format is Rasa's own TicketLock, so
instances of both kinds can share one Redis while a deployment is rolled over.
"""
import json
from typing import Any, Callable, Optional, Text, Tuple

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# A change receives the stored lock (or None) and returns (its result, the lock to store or None
# to delete the key). It may run several times, so it must only depend on the lock it is given.
Change = Callable[[Optional[TicketLock]], Tuple[Any, Optional[TicketLock]]]


class AtomicRedisLockStore(RedisLockStore):
    """`lock_store: type: bot.lock_store.AtomicRedisLockStore` with the settings of Rasa's redis type."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change_atomically(self, conversation_id: Text, change: Change) -> Any:
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> Any:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else None
            result, new_lock = change(lock)
            pipe.multi()
            if new_lock is not None:
                pipe.set(key, new_lock.dumps())
            elif stored:
                pipe.delete(key)
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[int, TicketLock]:
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        try:
            return self._change_atomically(conversation_id, issue)
        except Exception as error:  # what Rasa's LockStore.issue_ticket raises, for the same callers
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def remove_expired(lock: Optional[TicketLock]) -> Tuple[None, Optional[TicketLock]]:
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._change_atomically(conversation_id, remove_expired)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Gives the ticket back, and deletes the lock only if nobody is waiting at that moment
        (Rasa's version checks and deletes in two steps, and can delete a ticket issued between).
        Rasa calls finish_serving only from here, so it needs no atomic version of its own."""
        def finish_and_delete_if_idle(lock: Optional[TicketLock]) -> Tuple[None, Optional[TicketLock]]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return None, lock if lock.is_someone_waiting() else None

        self._change_atomically(conversation_id, finish_and_delete_if_idle)
