"""Messages take turns on the Rasa server's event loop, oldest first.

Rasa handles every message as its own task on one event loop. Its work is CPU-bound (NLU,
policies, tracker) except while it waits for the action server. Left alone, the loop runs the
tasks round-robin at every await, so with many conversations a message that needs two action
calls waits behind every newer message at each call: a long tail of slow answers (#8).

`TurnQueue` lets `slots` messages at a time do Rasa's work and lets the others wait in the
order they arrived. A message gives its slot up while it waits for the action server and takes
the next free one when the answer is back, ahead of the messages that came after it. A slow
backend or action server therefore holds up only the conversations that wait for it.

Installed by bot/rasa_speedups.py around `MessageProcessor.handle_message` (inside the
conversation's lock, so a message that waits for its conversation holds no slot) and
`EndpointConfig.request` (the calls to the action server). The channels mark when a message
arrived (`mark_arrival`); a message that came another way counts from when Rasa took it up.
CHAT_TURNS_AT_ONCE sets `slots` (default 1: one CPU core per Rasa process); 0 turns it off.
"""
import asyncio
import contextvars
import heapq
import itertools
import os
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

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
        if len(self.running) < self.slots:  # then nobody waits: slots are handed on at once
            self.running[task] = arrival
            return
        entry = (arrival, next(self._tie), task, asyncio.get_running_loop().create_future())
        heapq.heappush(self.waiting, entry)
        try:
            await entry[3]
        except asyncio.CancelledError:
            if task in self.running:  # the slot came together with the cancellation
                self.leave()
            else:
                self.waiting.remove(entry)
                heapq.heapify(self.waiting)
            raise

    def leave(self) -> float:
        """Gives the current task's slot to the oldest waiting message; returns the arrival."""
        arrival = self.running.pop(asyncio.current_task())
        while self.waiting and len(self.running) < self.slots:
            next_arrival, _, task, future = heapq.heappop(self.waiting)
            self.running[task] = next_arrival
            future.set_result(None)
        return arrival


_queue: Optional[TurnQueue] = None


def queue() -> Optional[TurnQueue]:
    """The process's queue, created on first use (each Sanic worker has its own event loop)."""
    global _queue
    slots = int(os.environ.get("CHAT_TURNS_AT_ONCE") or 1)
    if slots > 0 and _queue is None:
        _queue = TurnQueue(slots)
    return _queue if slots > 0 else None


def taking_turns(handle: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Wraps Rasa's handling of one message: it runs while it holds a slot."""

    async def handle_in_turn(*args: Any, **kwargs: Any) -> Any:
        turns = queue()
        if turns is None or turns.holds_slot():
            return await handle(*args, **kwargs)
        arrival = _arrival.get()
        await turns.enter(arrival if arrival is not None else time.monotonic())
        try:
            return await handle(*args, **kwargs)
        finally:
            if turns.holds_slot():
                turns.leave()

    return handle_in_turn


def slot_free_while_waiting(call: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Wraps a call to another server: the message's slot is free until the answer is back."""

    async def call_without_slot(*args: Any, **kwargs: Any) -> Any:
        turns = queue()
        if turns is None or not turns.holds_slot():
            return await call(*args, **kwargs)
        arrival = turns.leave()
        try:
            return await call(*args, **kwargs)
        finally:
            await turns.enter(arrival)

    return call_without_slot
