"""Locust user for make bench: each simulated customer runs whole conversations back to back
(no think time, so N users = N concurrent conversations) through Rasa's REST channel.

BENCH_CONVERSATIONS names a JSON file written by bench/run.py (see conversations.py).
A turn fails when the HTTP call fails or times out. A turn that got an empty answer is counted
apart (BENCH_SILENT_FILE): that is what Rasa returns for a conversation handed over to a person
(e.g. after a greeting understood as a request for one), a question of understanding, not load.
"""
import itertools
import json
import os
import uuid

from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["BENCH_CONVERSATIONS"], encoding="utf-8") as f:
    CONVERSATIONS = json.load(f)
_next = itertools.cycle(CONVERSATIONS)
silent_turns = {}


@events.quitting.add_listener
def _write_silent_turns(environment, **_):
    if os.environ.get("BENCH_SILENT_FILE"):
        with open(os.environ["BENCH_SILENT_FILE"], "w", encoding="utf-8") as f:
            json.dump(silent_turns, f)


class Customer(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 30.0

    @task
    def conversation(self) -> None:
        conversation = next(_next)
        sender = f"bench-{uuid.uuid4().hex}"
        metadata = {"language": conversation["language"]}
        if conversation.get("login_token"):
            metadata["login_token"] = conversation["login_token"]
        for turn in conversation["turns"]:
            body = {"sender": sender, "message": turn["text"], "metadata": metadata}
            with self.client.post("/webhooks/rest/webhook", json=body, name=turn["kind"],
                                  catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                    return
                if not response.json():
                    silent_turns[turn["kind"]] = silent_turns.get(turn["kind"], 0) + 1
