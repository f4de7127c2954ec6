"""Messages per sender within the last minute, for the channels' rate limit (bot/channels.py).

`MemoryCounter` counts inside one Rasa process. With a Redis lock store (the production topology,
several Rasa instances or workers), `RedisCounter` counts in that Redis, so a sender's messages
count together whichever instance or worker receives them. A refused message is not counted.
If Redis cannot be reached, the process counts on its own until it can again.
"""
import logging
import secrets
import time
from collections import deque
from typing import Any, Callable, Deque, Dict

import redis

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


class MemoryCounter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.recent: Dict[str, Deque[float]] = {}

    def allow(self, sender: str) -> bool:
        """True (and counted) when the sender is under the limit."""
        now = time.monotonic()
        times = self.recent.setdefault(sender, deque())
        while times and times[0] <= now - WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        if len(self.recent) > 10_000:  # forget senders quiet for a minute
            self.recent = {s: t for s, t in self.recent.items() if t and t[-1] > now - WINDOW_SECONDS}
        return True


# One sorted set per sender, the score is the time of each counted message. Run as one script so
# that two instances cannot both let the last allowed message through.
_SLIDING_WINDOW = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then return 0 end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(window))
return 1
"""


class RedisCounter:
    def __init__(self, client: "redis.Redis", key_prefix: str, per_minute: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.key_prefix = key_prefix
        self.per_minute = per_minute
        self.clock = clock  # wall-clock time: the instances share it
        self.script = client.register_script(_SLIDING_WINDOW)
        self.fallback = MemoryCounter(per_minute)

    def allow(self, sender: str) -> bool:
        now = self.clock()
        try:
            return bool(self.script(keys=[self.key_prefix + sender],
                                    args=[now, WINDOW_SECONDS, self.per_minute, f"{now}:{secrets.token_hex(4)}"]))
        except redis.RedisError as error:
            logger.warning("rate limit counted in this process, Redis unreachable: %s", type(error).__name__)
            return self.fallback.allow(sender)


def counter_for(lock_store: Any, per_minute: int) -> Any:
    """A RedisCounter on the lock store's Redis (Rasa's RedisLockStore and ours keep the client
    in `red`), else a MemoryCounter. Keys: the lock store's prefix with "rate:" for "lock:"."""
    client = getattr(lock_store, "red", None)
    if isinstance(client, redis.Redis):
        prefix = getattr(lock_store, "key_prefix", "lock:")
        return RedisCounter(client, prefix.removesuffix("lock:") + "rate:", per_minute)
    return MemoryCounter(per_minute)
