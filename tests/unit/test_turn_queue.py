"""bot/turn_queue.py: messages take turns oldest first, and none is lost or stuck on the way."""
import asyncio

import pytest

from bot import turn_queue
from bot.turn_queue import TurnQueue


@pytest.fixture
def one_slot(monkeypatch):
    monkeypatch.setenv("CHAT_TURNS_AT_ONCE", "1")
    monkeypatch.setattr(turn_queue, "_queue", None)


def _handler(log):
    """A stand-in for Rasa's handling of a message: records when it starts and ends."""

    @turn_queue.taking_turns
    async def handle(name):
        log.append(("start", name))
        await asyncio.sleep(0)  # Rasa awaits inside a turn; others must not get in here
        await asyncio.sleep(0)
        log.append(("end", name))
        return name

    return handle


async def _arrive(name, handle, delay=0.0):
    await asyncio.sleep(delay)
    turn_queue.mark_arrival()
    return await handle(name)


def test_one_message_at_a_time_in_order_of_arrival(one_slot):
    log = []
    handle = _handler(log)

    async def main():
        return await asyncio.gather(*(_arrive(n, handle) for n in "abcd"))

    assert asyncio.run(main()) == list("abcd")
    assert log == [(step, n) for n in "abcd" for step in ("start", "end")]


def _calling(log, answered):
    """A message whose handling calls the action server, which answers when `answered` is set."""

    @turn_queue.slot_given_up_if_slow
    async def action_server(name):
        log.append(("calls", name))
        await answered.wait()
        log.append(("answered", name))

    return action_server


def _handling(log, action_server, b_may_end=None):
    """Rasa's handling: message a calls the action server; b keeps its slot until b_may_end."""

    @turn_queue.taking_turns
    async def handle(name):
        log.append(("start", name))
        if name == "a":
            await action_server(name)
        if name == "b" and b_may_end is not None:
            await b_may_end.wait()  # Rasa's own awaits keep the slot
        log.append(("end", name))
        return name

    return handle


def test_a_quick_answer_from_the_action_server_keeps_the_slot(one_slot, monkeypatch):
    monkeypatch.setattr(turn_queue, "HOLD_SECONDS", 5.0)
    log = []

    async def main():
        answered = asyncio.Event()
        handle = _handling(log, _calling(log, answered))
        a = asyncio.create_task(_arrive("a", handle))
        await asyncio.sleep(0.001)
        b = asyncio.create_task(_arrive("b", handle))
        await asyncio.sleep(0.01)
        answered.set()
        return await asyncio.gather(a, b)

    assert asyncio.run(main()) == ["a", "b"]
    assert log == [("start", "a"), ("calls", "a"), ("answered", "a"), ("end", "a"), ("start", "b"), ("end", "b")]


def test_a_slow_answer_lets_the_next_message_in_and_then_goes_first(one_slot, monkeypatch):
    monkeypatch.setattr(turn_queue, "HOLD_SECONDS", 0.01)
    log = []

    async def main():
        answered, b_may_end = asyncio.Event(), asyncio.Event()
        handle = _handling(log, _calling(log, answered), b_may_end)
        tasks = [asyncio.create_task(_arrive("a", handle))]
        for name in "bc":
            await asyncio.sleep(0.05)  # longer than a's hold: b gets in
            tasks.append(asyncio.create_task(_arrive(name, handle)))
        await asyncio.sleep(0.01)
        answered.set()
        await asyncio.sleep(0.01)
        b_may_end.set()
        return await asyncio.gather(*tasks)

    assert asyncio.run(main()) == list("abc")
    assert log == [("start", "a"), ("calls", "a"), ("start", "b"), ("answered", "a"), ("end", "b"),
                   ("end", "a"), ("start", "c"), ("end", "c")]


def test_a_cancelled_waiting_message_does_not_keep_others_waiting(one_slot):
    log = []
    handle = _handler(log)

    async def main():
        turns = turn_queue.queue()
        gate = asyncio.Event()

        @turn_queue.taking_turns
        async def slow(name):
            log.append(("start", name))
            await gate.wait()
            log.append(("end", name))

        a = asyncio.create_task(_arrive("a", slow))
        await asyncio.sleep(0)
        b = asyncio.create_task(_arrive("b", handle))
        c = asyncio.create_task(_arrive("c", handle, delay=0.001))
        await asyncio.sleep(0.01)
        assert len(turns.waiting) == 2
        b.cancel()  # the customer went away while waiting
        gate.set()
        await asyncio.gather(a, c)
        with pytest.raises(asyncio.CancelledError):
            await b
        assert not turns.running and not turns.waiting

    asyncio.run(main())
    assert log == [("start", "a"), ("end", "a"), ("start", "c"), ("end", "c")]


@pytest.mark.parametrize("cancelled_first", [False, True])
def test_a_message_cancelled_as_its_turn_comes_gives_the_slot_on(cancelled_first):
    """The customer goes away just as the slot is handed to their message, in either order."""

    async def main():
        turns = TurnQueue(1)
        await turns.enter(0.0)

        async def waiter(arrival):
            await turns.enter(arrival)
            turns.leave()
            return arrival

        b = asyncio.create_task(waiter(1.0))
        c = asyncio.create_task(waiter(2.0))
        await asyncio.sleep(0)
        if cancelled_first:
            b.cancel()  # before b's task could clean up, the slot is handed on
            turns.leave()
        else:
            turns.leave()  # b gets the slot, then is cancelled before it could run
            b.cancel()
        assert await c == 2.0
        assert b.cancelled() and not turns.running and not turns.waiting

    asyncio.run(main())


def test_a_failing_message_frees_its_slot(one_slot):
    @turn_queue.taking_turns
    async def crashing(name):
        raise RuntimeError(name)

    async def main():
        with pytest.raises(RuntimeError):
            await _arrive("a", crashing)
        assert await _arrive("b", _handler([])) == "b"
        assert not turn_queue.queue().running

    asyncio.run(main())


def test_several_slots_and_switched_off(monkeypatch):
    monkeypatch.setattr(turn_queue, "_queue", None)
    monkeypatch.setenv("CHAT_TURNS_AT_ONCE", "0")
    assert turn_queue.queue() is None
    monkeypatch.setenv("CHAT_TURNS_AT_ONCE", "2")
    running, most = set(), []

    @turn_queue.taking_turns
    async def handle(name):
        running.add(name)
        most.append(len(running))
        await asyncio.sleep(0.001)
        running.discard(name)
        return name

    async def main():
        return await asyncio.gather(*(_arrive(n, handle) for n in "abcde"))

    assert asyncio.run(main()) == list("abcde")
    assert max(most) == 2


def test_a_message_cancelled_during_a_slow_call_does_not_queue_again(one_slot, monkeypatch):
    monkeypatch.setattr(turn_queue, "HOLD_SECONDS", 0.01)

    async def main():
        never, b_may_end = asyncio.Event(), asyncio.Event()
        action_server = _calling([], never)

        @turn_queue.taking_turns
        async def handle(name):
            if name == "a":
                await action_server(name)
            await b_may_end.wait()
            return name

        a = asyncio.create_task(_arrive("a", handle))
        await asyncio.sleep(0.05)  # a gave its slot up
        b = asyncio.create_task(_arrive("b", handle))
        await asyncio.sleep(0.01)
        a.cancel()
        await asyncio.sleep(0.01)
        turns = turn_queue.queue()
        assert a.cancelled() and not turns.waiting
        b_may_end.set()
        assert await b == "b"
        assert not turns.running

    asyncio.run(main())


@pytest.mark.parametrize("value", ["two", "-1", "1.5"])
def test_a_wrong_setting_stops_the_server_at_start(monkeypatch, value):
    from bot import rasa_speedups

    monkeypatch.setenv("CHAT_TURNS_AT_ONCE", value)
    with pytest.raises(ValueError, match="CHAT_TURNS_AT_ONCE"):
        rasa_speedups.install()


def test_intents_triggered_through_the_api_take_turns_with_messages(one_slot):
    """The backend's hand-back (Rasa's trigger_intent) and reminders run Rasa's
    trigger_external_user_uttered: it waits for its turn like a message, counted from when it asks,
    not from the arrival of the message whose context it inherited."""
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot import rasa_speedups

    rasa_speedups.install()
    log = []

    class Processor:   # what trigger_external_user_uttered uses of Rasa's processor
        domain = None

        async def run_action_extract_slots(self, output_channel, tracker):
            return tracker

        async def _run_prediction_loop(self, output_channel, tracker):
            log.append(("start", tracker.latest_message.intent["name"]))
            await asyncio.sleep(0.02)
            log.append(("end", tracker.latest_message.intent["name"]))

        async def save_tracker(self, tracker):
            pass

    @turn_queue.taking_turns
    async def message(name):
        log.append(("start", name))
        await asyncio.sleep(0.02)
        log.append(("end", name))

    async def trigger(delay):
        turn_queue.mark_arrival()   # a reminder's task carries the arrival of the message that set it
        await asyncio.sleep(delay)
        await MessageProcessor.trigger_external_user_uttered(
            Processor(), "EXTERNAL_handed_back", None, DialogueStateTracker("c", []), CollectingOutputChannel())

    async def main():
        await asyncio.gather(_arrive("first", message), _arrive("second", message, 0.004), trigger(0.008),
                             _arrive("third", message, 0.012))

    asyncio.run(main())
    assert log == [("start", "first"), ("end", "first"), ("start", "second"), ("end", "second"),
                   ("start", "EXTERNAL_handed_back"), ("end", "EXTERNAL_handed_back"),
                   ("start", "third"), ("end", "third")]
