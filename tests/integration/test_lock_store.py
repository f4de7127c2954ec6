"""The conversation lock shared by several Rasa instances (bot/lock_store.py), on the real Redis.

Each "instance" is its own lock store object with its own Redis connection, as two Rasa processes
have. Many messages of one conversation arrive at both at once: every one must get its own ticket,
and only one may be inside the lock at any moment."""
import asyncio
import secrets
import threading
import time

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import AtomicRedisLockStore
from tests import services

REDIS_DB = 1


@pytest.fixture
def prefix():
    import redis

    try:
        redis.Redis(host=services.REDIS_HOST, port=services.REDIS_PORT).ping()
    except redis.RedisError:
        pytest.skip("Redis at 127.0.0.1:6379 is not reachable")
    prefix = f"cpslock{secrets.token_hex(4)}"
    yield prefix
    services.delete_redis_keys(prefix, REDIS_DB)


def instances(prefix, count=2):
    """Lock stores as Rasa builds them from endpoints.production.yml."""
    config = EndpointConfig(url=services.REDIS_HOST, type="bot.lock_store.AtomicRedisLockStore",
                            port=str(services.REDIS_PORT), db=str(REDIS_DB), key_prefix=prefix)
    return [AtomicRedisLockStore(endpoint_config=config) for _ in range(count)]


def test_simultaneous_messages_on_two_instances_get_different_tickets(prefix):
    stores = instances(prefix)
    tickets, start = [], threading.Barrier(8)

    def issue(store):
        start.wait()
        for _ in range(25):
            tickets.append(store.issue_ticket("conversation-1"))

    threads = [threading.Thread(target=issue, args=(stores[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(len(tickets))), "two messages were given the same ticket"


def test_only_one_instance_at_a_time_handles_a_conversation(prefix):
    stores = instances(prefix)
    inside, most_inside, handled = [0], [0], []

    async def handle(store, message):
        async with store.lock("conversation-2", lock_lifetime=30, wait_time_in_seconds=0.01):
            inside[0] += 1
            most_inside[0] = max(most_inside[0], inside[0])
            await asyncio.sleep(0.005)   # the turn: tracker read, prediction, tracker write
            handled.append(message)
            inside[0] -= 1

    def instance(store, messages):   # its own thread and event loop, like its own process
        async def run():
            await asyncio.gather(*(handle(store, m) for m in messages))
        asyncio.run(run())

    threads = [threading.Thread(target=instance, args=(store, [f"{n}-{i}" for i in range(15)]))
               for n, store in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert most_inside[0] == 1, "two messages of one conversation were handled at the same time"
    assert sorted(handled) == sorted(f"{n}-{i}" for n in range(2) for i in range(15))
    assert stores[0].get_lock("conversation-2") is None, "the lock outlived the last message"


def test_an_expired_ticket_does_not_block_the_conversation(prefix):
    first, second = instances(prefix)
    first.issue_ticket("conversation-3", lock_lifetime=0.2)   # an instance that died holding the lock
    time.sleep(0.3)

    async def next_message():
        async with second.lock("conversation-3", wait_time_in_seconds=0.05) as lock:
            return lock.conversation_id

    assert asyncio.run(asyncio.wait_for(next_message(), timeout=10)) == "conversation-3"
