"""Messages per sender per minute counted in Redis, shared by several Rasa instances or workers
(bot/rate_limit.py), against the real Redis at 127.0.0.1:6379. Through two running Rasa
instances: tests/integration/test_instances.py; one instance: tests/integration/test_bad_input.py."""
import secrets

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from bot import rate_limit
from bot.lock_store import AtomicRedisLockStore
from tests import services
from tests.services import free_port


@pytest.fixture
def redis_store():
    prefix = f"cpsrl{secrets.token_hex(4)}"
    store = AtomicRedisLockStore(host=services.REDIS_HOST, port=services.REDIS_PORT, db=1, key_prefix=prefix)
    try:
        store.red.ping()
    except redis.RedisError:
        pytest.skip("Redis at 127.0.0.1:6379 is not reachable")
    yield store
    services.delete_redis_keys(prefix, 1)


def test_two_instances_share_a_senders_count(redis_store):
    now = [1000.0]
    a, b = (rate_limit.counter_for(redis_store, per_minute=3) for _ in range(2))
    a.clock = b.clock = lambda: now[0]
    assert [a.allow("s1"), b.allow("s1"), a.allow("s1")] == [True, True, True]
    assert not b.allow("s1") and not a.allow("s1")       # refused, and not counted
    assert b.allow("another sender")
    now[0] += 30
    assert not a.allow("s1")
    now[0] += 31                                           # a minute after the first three
    assert a.allow("s1") and b.allow("s1")


def test_the_count_is_kept_beside_the_locks_and_expires(redis_store):
    counter = rate_limit.counter_for(redis_store, per_minute=3)
    counter.allow("s1")
    key = redis_store.key_prefix.replace("lock:", "rate:") + "s1"
    assert redis_store.red.exists(key) and 0 < redis_store.red.ttl(key) <= 60
    assert not redis_store.red.exists(redis_store.key_prefix + "s1")   # no clash with a conversation's lock


def test_without_redis_the_process_counts_alone():
    unreachable = RedisLockStore(host="127.0.0.1", port=free_port(), socket_timeout=1)
    counter = rate_limit.counter_for(unreachable, per_minute=2)
    assert isinstance(counter, rate_limit.RedisCounter)
    assert [counter.allow("s1"), counter.allow("s1"), counter.allow("s1")] == [True, True, False]


def test_other_lock_stores_count_in_the_process():
    assert isinstance(rate_limit.counter_for(InMemoryLockStore(), 3), rate_limit.MemoryCounter)
    assert isinstance(rate_limit.counter_for(None, 3), rate_limit.MemoryCounter)
