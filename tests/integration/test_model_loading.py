"""The faster model loading of bot/rasa_speedups.py gives the very same predictions as Rasa's own:
intents, confidences and entities (DIET), and each policy's own scores for the next action, not
only the ensemble's winner: a machine-learning policy that failed to load (TED did, until
2026-12-05) falls back to empty predictions in silence, and the winner, usually a rule, hides it."""
import pytest
from rasa.core.agent import Agent
from rasa.core.channels import CollectingOutputChannel, UserMessage
from rasa.core.policies.policy import Policy
from rasa.engine.constants import PLACEHOLDER_TRACKER
from rasa.utils.tensorflow.models import RasaModel

from bench.conversations import messages_by_intent
from bot import languages, rasa_speedups
from tests.same_outputs import assert_same


def sample_messages():
    messages = []
    for language in languages.supported():
        for texts in list(messages_by_intent(language).values())[::4]:
            messages.append(texts[0])
    return messages


async def parse_all(model_path, messages):
    agent = Agent.load(str(model_path))
    parsed = [await agent.parse_message(text) for text in messages]
    runner = agent.processor.graph_runner
    with_a_model = [name for name, node in runner._instantiated_nodes.items()  # TED, for one
                    if isinstance(node._component, Policy) and hasattr(node._component, "model")]
    for number, text in enumerate(messages[:12]):
        # Without an action server the slot validation fails quietly; the policies still predict.
        await agent.log_message(UserMessage(text, sender_id=f"load-{number}"))
        prediction = await agent.predict_next_for_sender_id(f"load-{number}")
        parsed[number]["next_action_scores"] = prediction["scores"]
        parsed[number]["policy_probabilities"] = await policy_probabilities(agent, f"load-{number}")
        parsed[number]["policies_with_a_model"] = with_a_model
    return parsed


async def policy_probabilities(agent, sender_id):
    """Each policy's own prediction for the conversation: {graph node: probabilities}."""
    runner = agent.processor.graph_runner
    tracker = await agent.processor.tracker_store.get_or_create_tracker(sender_id)
    nodes = [name for name, node in runner._instantiated_nodes.items()
             if isinstance(node._component, Policy)]
    assert len(nodes) >= 2, nodes  # rules and memoization at least (config.yml)
    results = runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=nodes)
    return {name: results[name].probabilities for name in nodes}


async def test_eager_weight_building_predicts_exactly_like_rasa(model_path, monkeypatch):
    messages = sample_messages()
    monkeypatch.setattr(RasaModel, "load", classmethod(rasa_speedups._rasa_load))
    expected = await parse_all(model_path, messages)
    monkeypatch.setattr(RasaModel, "load", classmethod(rasa_speedups._load_with_eager_weight_building))
    actual = await parse_all(model_path, messages)
    for text, want, got in zip(messages, expected, actual):
        assert got["intent"]["name"] == want["intent"]["name"], text
        assert got["intent"]["confidence"] == pytest.approx(want["intent"]["confidence"], abs=1e-5), text
        assert [(e["entity"], e["value"]) for e in got["entities"]] == \
               [(e["entity"], e["value"]) for e in want["entities"]], text
        if "next_action_scores" in want:
            assert [(s["action"], s["score"]) for s in got["next_action_scores"]] == \
                   [(s["action"], pytest.approx(s["score"], abs=1e-5)) for s in want["next_action_scores"]], text
            for node, probabilities in want["policy_probabilities"].items():
                # Rules and memoization may abstain, a policy with a model never. config.yml has no
                # such policy now (no TED), so this guards a future one; the probabilities below
                # are compared either way.
                if node in want["policies_with_a_model"]:
                    assert max(probabilities) > 0, (node, text)
                assert got["policy_probabilities"][node] == pytest.approx(probabilities, abs=1e-5), (node, text)


async def test_graph_runner_feature_joining_event_lookup_and_graph_call_predict_exactly_like_rasa(model_path, monkeypatch):
    """bot/graph_runner.py, the one-step feature joining, the remembered event classes, DIET's
    traced graph called directly, the fake features without deep copies, the rule index and matching
    that stops after the longest rule, the conversation states from one replay and the plain slot
    copies: the same intent rankings, entities and next-action scores as Rasa's own."""
    from rasa.core import processor
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.slots import Slot
    from rasa.utils.tensorflow import model_data_utils
    from rasa.shared.core.events import Event
    from rasa.shared.nlu.training_data.message import Message

    from bot.graph_runner import SequentialGraphRunner

    messages = sample_messages()
    monkeypatch.setattr(processor, "DaskGraphRunner", DaskGraphRunner)
    monkeypatch.setattr(Message, "_combine_features", staticmethod(rasa_speedups._rasa_combine_features))
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(rasa_speedups._rasa_resolve_by_type))
    monkeypatch.setattr(RasaModel, "_rasa_predict", rasa_speedups._rasa_predict)
    monkeypatch.setattr(RulePolicy, "_get_possible_keys", rasa_speedups._rasa_possible_keys)
    monkeypatch.setattr(Domain, "states_for_tracker_history", rasa_speedups._rasa_states_for_tracker_history)
    monkeypatch.setattr(model_data_utils, "_create_fake_features", rasa_speedups._rasa_create_fake_features)
    monkeypatch.delattr(Slot, "__copy__", raising=False)
    expected = await parse_all(model_path, messages)
    monkeypatch.setattr(processor, "DaskGraphRunner", SequentialGraphRunner)
    monkeypatch.setattr(Message, "_combine_features", staticmethod(rasa_speedups._combine_features))
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(rasa_speedups._resolve_by_type))
    monkeypatch.setattr(RasaModel, "_rasa_predict", rasa_speedups._predict_on_the_traced_graph)
    monkeypatch.setattr(RulePolicy, "_get_possible_keys", rasa_speedups._possible_keys)
    monkeypatch.setattr(Domain, "states_for_tracker_history", rasa_speedups._states_for_tracker_history)
    monkeypatch.setattr(model_data_utils, "_create_fake_features", rasa_speedups._create_fake_features)
    monkeypatch.setattr(Slot, "__copy__", rasa_speedups._copy_slot, raising=False)
    through_the_tf_function = []
    rasa_predict = rasa_speedups._rasa_predict
    monkeypatch.setattr(rasa_speedups, "_rasa_predict",
                        lambda model, batch: through_the_tf_function.append(1) or rasa_predict(model, batch))
    actual = await parse_all(model_path, messages)
    assert len(through_the_tf_function) == 1, "only DIET's first prediction (at load) should take Rasa's way"
    for text, want, got in zip(messages, expected, actual):
        assert got["intent_ranking"] == want["intent_ranking"], text
        assert got["entities"] == want["entities"], text
        assert got.get("next_action_scores") == want.get("next_action_scores"), text
        assert got.get("policy_probabilities") == want.get("policy_probabilities"), text


async def test_rule_matching_finds_the_same_rules_as_rasa(model_path):
    """The rules that match each turn of real conversations, found both ways, for every lookup."""
    from rasa.core.policies.rule_policy import RulePolicy

    agent = Agent.load(str(model_path))
    runner = agent.processor.graph_runner
    rules = next(node._component for node in runner._instantiated_nodes.values()
                 if isinstance(node._component, RulePolicy))
    compared = 0
    longest = max(len(rules._rule_key_to_state(key)) for key in rules.lookup["rules"])
    for text in sample_messages()[:20]:   # one conversation growing longer than any rule
        await agent.log_message(UserMessage(text, sender_id="rules"))
        for action in ("utter_greet", "action_listen"):
            await agent.execute_action("rules", action, CollectingOutputChannel(), None, None)
        tracker = await agent.processor.tracker_store.get_or_create_tracker("rules")
        for use_text in (True, False):
            states = rules._prediction_states(tracker, agent.domain, use_text,
                                              rule_only_data=rules._get_rule_only_data())
            for lookup in rules.lookup.values():
                if isinstance(lookup, dict):
                    for turns in range(1, len(states) + 1):   # also the conversation's earlier turns
                        assert rasa_speedups._possible_keys(rules, lookup, states[:turns]) == \
                               rasa_speedups._rasa_possible_keys(rules, lookup, states[:turns]), text
                        compared += 1
    assert compared > 100 and len(states) > 3 * longest


async def test_rule_index_finds_the_same_rules_as_rasa_on_every_rules_own_states(model_path):
    """Each rule's own states, and the same states with another intent or previous action at the
    end (every one the rules name, none, or one they do not know), in every lookup: the rules that
    the index finds are the ones that Rasa finds."""
    from rasa.core.policies.rule_policy import RulePolicy

    agent = Agent.load(str(model_path))
    rules = next(node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
                 if isinstance(node._component, RulePolicy))
    lookups = [lookup for lookup in rules.lookup.values() if isinstance(lookup, dict) and lookup]
    own_states = [rules._rule_key_to_state(key) for lookup in lookups for key in lookup]
    intents = {s[-1].get("user", {}).get("intent") for s in own_states} | {None, "no_such_intent"}
    actions = {s[-1].get("prev_action", {}).get("action_name") for s in own_states} | {None, "no_such_action"}
    own_intent_and_action = [(s[-1].get("user", {}).get("intent"),
                              s[-1].get("prev_action", {}).get("action_name")) for s in own_states]
    compared = matched = 0

    def compare(varied):
        nonlocal compared, matched
        for lookup in lookups:
            found = rasa_speedups._possible_keys(rules, lookup, varied)
            assert found == rasa_speedups._rasa_possible_keys(rules, lookup, varied), varied
            compared += 1
            matched += bool(found)

    for states, (own_intent, own_action) in zip(own_states, own_intent_and_action):
        compare(states)
        variations = [(intent, own_action) for intent in intents] + \
                     [(own_intent, action) for action in actions]
        for intent, action in variations:
            last = {part: dict(sub) for part, sub in states[-1].items()}
            last.setdefault("user", {})["intent"] = intent
            if action is None:
                last.pop("prev_action", None)   # a conversation's start
            else:
                last.setdefault("prev_action", {})["action_name"] = action
            compare(states[:-1] + [last])
        # end-to-end shapes: the user's text instead of an intent, an action's text
        for part, sub_state in (("user", {"text": "hei"}), ("prev_action", {"action_text": "Hei!"})):
            last = {part: dict(sub) for part, sub in states[-1].items()}
            last[part] = dict(sub_state)
            compare(states[:-1] + [last])

    assert compared > 1000 and matched > 100


async def test_the_traced_graph_gives_every_output_of_diets_own_prediction(model_path, monkeypatch):
    """Every output of DIET's prediction, the diagnostic data too, both ways on the same inputs."""
    rasa_predict = rasa_speedups._rasa_predict
    compared, rasas_way = [], []

    def both_ways(self, batch_in):
        theirs = rasa_predict(self, batch_in)
        ours = rasa_speedups._predict_on_the_traced_graph(self, batch_in)
        assert_same(ours, theirs)
        compared.append(True)
        return theirs

    # Counts the predictions that the traced-graph path hands to Rasa's (the first one, to trace).
    monkeypatch.setattr(rasa_speedups, "_rasa_predict",
                        lambda self, batch_in: rasas_way.append(True) or rasa_predict(self, batch_in))
    monkeypatch.setattr(RasaModel, "_rasa_predict", both_ways)
    agent = Agent.load(str(model_path))
    for text in sample_messages():
        await agent.parse_message(text)
    assert len(compared) >= len(sample_messages()) and len(rasas_way) == 1
