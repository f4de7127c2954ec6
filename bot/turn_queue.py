"""Messages take turns in the Rasa server, in the order they arrived.

Rasa handles every message as its own task on one event loop. Its work is CPU-bound (NLU,
policies, tracker) except while it waits for the action server. Left alone, every new message
starts at once, and a message coming back from the action server queues behind all of them on
the event loop: under load each call to the action server costs a message a full round of the
queue, so the answers that need calls come late (#8: in a bench run at 10 and 50 conversations
a call took 115 ms at the median and 630 ms at p90, where the action server works about 1 ms).

`TurnQueue` lets `slots` messages at a time into Rasa's processing; the others wait, oldest
first. A message keeps its slot while the action server answers quickly, so it comes back to a
short queue. After HOLD_SECONDS it gives the slot up: a slow backend or action server then holds
up only the customers whose answers wait for it, and the message takes the next free slot when
its answer is back, ahead of the messages that arrived after it.

Installed by bot/rasa_speedups.py around `MessageProcessor.handle_message` and
`MessageProcessor.trigger_external_user_uttered` (the intents that the backend triggers through
Rasa's API, such as a hand-back, and reminders), both inside the conversation's lock, so a message
that waits for its conversation holds no slot, and around `EndpointConfig.request` (the calls to
the action server). The channels mark when a message arrived (`mark_arrival`); a turn that came
another way counts from when Rasa took it up.
CHAT_TURNS_AT_ONCE sets `slots` (default 2: one message computes while another waits for its
action); 0 turns the queue off.
"""
import asyncio
import contextvars
import heapq
import itertools
import os
import time
from functools import lru_cache
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

HOLD_SECONDS = 0.05  # an action's usual answer takes a few ms; longer means a slow part
_arrival: contextvars.ContextVar[Optional[float]] = contextvars.ContextVar("message_arrival", default=None)


def mark_arrival() -> None:
    """Called where a message enters the server; the current task and its sub-tasks see it."""
    _arrival.set(time.monotonic())


class TurnQueue:
    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.running: Dict[asyncio.Task, float] = {}  # task -> arrival of its message
        self.waiting: List[Tuple[float, int, asyncio.Task, asyncio.Future]] = []  # a heap
        self._tie = itertools.count()  # same arrival: first come, first served

    def holds_slot(self) -> bool:
        return asyncio.current_task() in self.running

    async def enter(self, arrival: float) -> None:
        task = asyncio.current_task()
        if len(self.running) < self.slots:  # then nobody waits: leave() hands slots on at once
            self.running[task] = arrival
            return
        entry = (arrival, next(self._tie), task, asyncio.get_running_loop().create_future())
        heapq.heappush(self.waiting, entry)
        try:
            await entry[3]
        except asyncio.CancelledError:
            if task in self.running:  # the slot came together with the cancellation
                self.leave()
            elif entry in self.waiting:  # else leave() has already passed over it
                self.waiting.remove(entry)
                heapq.heapify(self.waiting)
            raise

    def leave(self, task: Optional[asyncio.Task] = None) -> float:
        """Gives the task's slot (the current task's by default) to the oldest waiting message;
        returns the arrival of the task's message."""
        arrival = self.running.pop(task or asyncio.current_task())
        while self.waiting and len(self.running) < self.slots:
            next_arrival, _, waiter, future = heapq.heappop(self.waiting)
            if future.done():  # cancelled (the customer went away) before it could clean up
                continue
            self.running[waiter] = next_arrival
            future.set_result(None)
        return arrival


_queue: Optional[TurnQueue] = None


@lru_cache(maxsize=8)
def _parse_slots(value: str) -> int:
    if not value.strip().isdigit():
        raise ValueError(f"CHAT_TURNS_AT_ONCE must be a whole number, 0 or more; it is {value!r}")
    return int(value)


def slots() -> int:
    """CHAT_TURNS_AT_ONCE; bot/rasa_speedups.py reads it at start, so a wrong value stops Rasa."""
    return _parse_slots(os.environ.get("CHAT_TURNS_AT_ONCE") or "2")


def queue() -> Optional[TurnQueue]:
    """The process's queue, created on first use (each Sanic worker has its own event loop)."""
    global _queue
    slots_at_once = slots()
    if slots_at_once > 0 and _queue is None:
        _queue = TurnQueue(slots_at_once)
    return _queue if slots_at_once > 0 else None


def taking_turns(handle: Callable[..., Awaitable[Any]], marked_arrival: bool = True) -> Callable[..., Awaitable[Any]]:
    """Wraps Rasa's handling of one message: it runs while it holds a slot. With
    `marked_arrival=False` the turn counts from when it asks for a slot: a reminder's task
    inherits the context, and so the arrival, of the message that scheduled it."""

    async def handle_in_turn(*args: Any, **kwargs: Any) -> Any:
        turns = queue()
        if turns is None or turns.holds_slot():
            return await handle(*args, **kwargs)
        arrival = _arrival.get() if marked_arrival else None
        await turns.enter(arrival if arrival is not None else time.monotonic())
        try:
            return await handle(*args, **kwargs)
        finally:
            if turns.holds_slot():
                turns.leave()

    return handle_in_turn


def slot_given_up_if_slow(call: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Wraps a call to another server: after HOLD_SECONDS without an answer, the message's slot
    goes to the next message; once the answer is back, the message waits for a slot again."""

    async def call_holding_briefly(*args: Any, **kwargs: Any) -> Any:
        turns = queue()
        task = asyncio.current_task()
        if turns is None or task not in turns.running:
            return await call(*args, **kwargs)
        arrival = turns.running[task]
        give_up = asyncio.get_running_loop().call_later(
            HOLD_SECONDS, lambda: task in turns.running and turns.leave(task))
        cancelled = False
        try:
            return await call(*args, **kwargs)
        except asyncio.CancelledError:
            cancelled = True  # the customer went away: no turn to take up again
            raise
        finally:
            give_up.cancel()
            if not cancelled and task not in turns.running:
                await turns.enter(arrival)

    return call_holding_briefly
