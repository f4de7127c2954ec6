"""The Rasa speed-ups change speed only: the same verdicts on action results, and SQLite commits
that survive the process."""
import asyncio
import copy
import datetime

import numpy as np
import pytest
import sqlalchemy
import tensorflow as tf
from hypothesis import given, settings, strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events

from bot import rasa_speedups
from tests.same_outputs import assert_same

rasa_speedups.install()

GOOD = [{"events": [], "responses": []},
        {"events": [{"event": "slot", "name": "language", "value": "fi"}], "responses": [{"response": "utter_greet"}]}]
BAD = [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": 5},
       {"events": [{"event": "slot", "name": "language"}]}, {"events": [{"event": "user", "parse_data": []}]},
       {"events": [{"event": "action", "confidence": "high"}]}, "not an object",
       {"events": [{"event": "no_such_type"}]}, {"events": [{"event": ["user"]}]}, {"events": [5]},
       {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "noon"}]}]
# What actions answer: every kind of event as Rasa serialises it.
EVERY_EVENT = [
    events.UserUttered("hei", {"name": "greet", "confidence": 0.9},
                       [{"entity": "country", "value": "FI", "start": 0, "end": 2}],
                       parse_data={"text": "hei", "intent": {"name": "greet", "confidence": 0.9},
                                   "intent_ranking": [{"name": "greet", "confidence": 0.9}], "entities": []}),
    events.BotUttered("Hei!", {"buttons": []}, {"utter_action": "utter_greet"}),
    events.SlotSet("language", "fi"), events.SlotSet("products", [{"serial": "AB1"}]),
    events.ActionExecuted("action_check_points", policy="RulePolicy", confidence=1.0),
    events.FollowupAction("action_listen"), events.ActiveLoop("product_form"), events.ActiveLoop(None),
    events.Restarted(), events.AllSlotsReset(), events.SessionStarted(), events.ConversationPaused(),
    events.ConversationResumed(), events.ReminderScheduled("EXTERNAL_x", datetime.datetime(2026, 12, 5)),
    events.ReminderCancelled(), events.ActionReverted(), events.UserUtteranceReverted(),
    events.LoopInterrupted(True), events.ActionExecutionRejected("product_form"),
    events.EntitiesAdded([{"entity": "country", "value": "FI"}]), events.StoryExported(),
]


@pytest.mark.parametrize("result", GOOD)
def test_valid_action_results_pass(result):
    validate(result, RemoteAction.action_response_format_spec())  # jsonschema agrees
    assert RemoteAction("action_x", None)._validate_action_result(result) is True


def test_every_kind_of_event_passes():
    result = {"events": [event.as_dict() for event in EVERY_EVENT], "responses": [{"text": "x"}]}
    validate(result, RemoteAction.action_response_format_spec())
    assert RemoteAction("action_x", None)._validate_action_result(result) is True


def jsonschema_says(result) -> bool:
    try:
        validate(result, RemoteAction.action_response_format_spec())
        return True
    except ValidationError:
        return False


def our_check_says(result) -> bool:
    try:
        return RemoteAction("action_x", None)._validate_action_result(result)
    except ValidationError:
        return False


# Answers that look like actions' answers, valid or not: the verdicts must be jsonschema's.
KEYS = st.sampled_from(["event", "name", "value", "events", "responses", "text", "parse_data", "intent",
                        "entities", "confidence", "policy", "entity", "start", "end", "response_selector"])
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
                    | st.sampled_from(["user", "slot", "action", "bot", "entities", "followup", "restart"]),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
                    max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["events", "responses"]), JSON | st.lists(st.dictionaries(KEYS, JSON))))
def test_the_verdict_is_jsonschemas_on_any_answer(result):
    assert our_check_says(result) == jsonschema_says(result)


@settings(max_examples=25, deadline=None)  # generating from the events schema is slow
@given(from_schema(RemoteAction.action_response_format_spec()))
def test_answers_valid_by_the_schema_pass(result):
    assert our_check_says(result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_action_results_raise_like_jsonschema(result):
    with pytest.raises(ValidationError):
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError):
        RemoteAction("action_x", None)._validate_action_result(result)


def test_sqlite_tracker_databases_use_wal_and_keep_commits(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        connection.exec_driver_sql("CREATE TABLE events (id INTEGER)")
        connection.exec_driver_sql("INSERT INTO events VALUES (1)")
    engine.dispose()
    with sqlalchemy.create_engine(url).connect() as other:
        assert other.exec_driver_sql("SELECT count(*) FROM events").scalar() == 1


def test_the_sqlite_tracker_store_keeps_its_connections_and_its_turns(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.pool import QueuePool

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert isinstance(store.engine.pool, QueuePool)
    tracker = DialogueStateTracker.from_events("customer", [ActionExecuted("action_listen"), UserUttered("hei")])
    asyncio.run(store.save(tracker))
    tracker.update(ActionExecuted("utter_greet"))
    asyncio.run(store.save(tracker))
    again = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    events = asyncio.run(again.retrieve("customer")).events
    assert [e.as_dict()["event"] for e in events] == ["action", "user", "action"]


def _features(columns, seed):
    import scipy.sparse
    from rasa.shared.nlu.training_data.features import Features

    matrix = scipy.sparse.random(7, columns, density=0.2, format="coo", random_state=seed)
    return Features(matrix, "sequence", "text", f"featurizer{seed}")


@pytest.mark.parametrize("count", [1, 2, 4])
def test_sparse_features_are_joined_into_the_same_matrix(count):
    features = [_features(columns, seed) for seed, columns in enumerate([3, 50, 1, 400][:count])]
    names = [f.origin for f in features]
    want = rasa_speedups._rasa_combine_features(features, names)
    got = rasa_speedups._combine_features(features, names)
    assert got.features.format == want.features.format == "coo"
    assert got.features.shape == want.features.shape and got.features.dtype == want.features.dtype
    assert (got.features.toarray() == want.features.toarray()).all()
    assert (got.type, got.attribute, got.origin) == (want.type, want.attribute, names)
    assert features[0].features.shape[1] == 3  # the message's own features are left alone


def test_features_of_different_lengths_are_refused_like_rasa():
    from rasa.shared.nlu.training_data.features import Features

    short = Features(_features(5, 1).features.tocsr()[:3].tocoo(), "sequence", "text", "short")
    with pytest.raises(ValueError):
        rasa_speedups._rasa_combine_features([_features(5, 0), short], ["a", "b"])
    with pytest.raises(ValueError):
        rasa_speedups._combine_features([_features(5, 0), short], ["a", "b"])


def test_event_classes_are_found_by_type_name_like_rasa():
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

    for cls in (ActionExecuted, SlotSet, UserUttered):
        assert rasa_speedups._resolve_by_type(cls.type_name) is rasa_speedups._rasa_resolve_by_type(cls.type_name) is cls
    assert rasa_speedups._resolve_by_type("topic") is None
    assert rasa_speedups._resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        rasa_speedups._resolve_by_type("no_such_event")


def test_graph_runner_refuses_an_input_named_like_a_node():
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.graph import GraphSchema, SchemaNode
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

    from bot.graph_runner import SequentialGraphRunner

    schema = GraphSchema({"tokenizer": SchemaNode({"messages": "__message__"}, WhitespaceTokenizer, "create",
                                                  "process", {}, eager=True, is_target=True)})
    runner = SequentialGraphRunner.__new__(SequentialGraphRunner)
    runner._graph_schema, runner._instantiated_nodes = schema, {}
    with pytest.raises(GraphRunError):
        runner.run(inputs={"__message__": "tokenizer"}, targets=["tokenizer"])


def test_features_other_than_coo_are_joined_by_rasa():
    from rasa.shared.nlu.training_data.features import Features

    features = [Features(_features(columns, seed).features.tocsr(), "sequence", "text", f"f{seed}")
                for seed, columns in enumerate([3, 50])]
    got = rasa_speedups._combine_features(features, ["a", "b"])
    want = rasa_speedups._rasa_combine_features(features, ["a", "b"])
    assert got.features.format == want.features.format
    assert (got.features.toarray() == want.features.toarray()).all()


def _copy_uses_outside_debug_logs(module_name):
    """`copy.<anything>` in the module's source that is not inside a structlogger.debug(...) call."""
    import ast
    import importlib
    import inspect

    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    in_debug_logs = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "debug"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "structlogger"):
            in_debug_logs.update(id(inner) for inner in ast.walk(node))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "copy"
            and id(node) not in in_debug_logs]


@pytest.mark.parametrize("module_name", rasa_speedups.MODULES_COPYING_ONLY_FOR_DEBUG_LOGS)
def test_modules_whose_copies_are_skipped_copy_only_for_debug_logs(module_name):
    assert _copy_uses_outside_debug_logs(module_name) == []


def test_the_check_sees_copies_that_are_not_for_logs():
    assert _copy_uses_outside_debug_logs("rasa.core.policies.policy") != []


def test_debug_log_arguments_are_copied_only_while_debug_logging_is_on():
    import logging

    import structlog
    from rasa.core import processor

    saved = structlog.get_config()
    events = [{"event": "slot", "name": "language", "value": "fi"}]

    def copied_at(wrapper_class):
        structlog.configure(wrapper_class=wrapper_class)   # what Rasa's configure_structlog sets
        result = processor.copy.deepcopy(events)
        assert result == events
        return result is not events and result[0] is not events[0]

    try:
        assert not copied_at(structlog.make_filtering_bound_logger(logging.INFO))
        assert copied_at(structlog.make_filtering_bound_logger(logging.DEBUG))
        assert copied_at(structlog.BoundLogger)   # a logger class without levels: copy as before
    finally:
        structlog.configure(**saved)


def test_slots_are_copied_as_copy_copy_copies_them():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.slots import Slot

    assert Slot.__dict__.get("__copy__") is rasa_speedups._copy_slot
    for slot in Domain.load("domain.yml").slots:
        slot.value = ["a"] if isinstance(slot.value, list) else "a"
        copied = copy.copy(slot)
        assert type(copied) is type(slot) and copied is not slot and vars(copied) == vars(slot)
        generic = copy._reconstruct(slot, None, *slot.__reduce_ex__(4))   # copy.copy without __copy__
        assert type(generic) is type(copied) and vars(generic) == vars(copied)
        copied.value = "b"
        assert slot.value != "b"   # a copy, not the same slot


SIGNATURE = [tf.TensorSpec([None, None, 3], tf.float32), tf.TensorSpec([None], tf.int64),
             tf.TensorSpec(None, tf.float32)]   # the last: any shape


@pytest.mark.parametrize("batch", [
    (np.zeros((1, 7, 3), np.float32), np.arange(4, dtype=np.int64), np.zeros((2, 2), np.float32)),
    (np.zeros((0, 0, 3), np.float32), np.arange(0, dtype=np.int64), np.float32(1.5)),
    (np.zeros((1, 7, 3), np.float64), [1, 2], 3.0),   # other types: TensorFlow's conversion
    (np.zeros((1, 7, 4), np.float32), np.arange(4, dtype=np.int64), 1.0),   # a wrong size
    (np.zeros((7, 3), np.float32), np.arange(4, dtype=np.int64), 1.0),      # a wrong rank
    (np.zeros((1, 7, 3), np.float32), np.arange(4, dtype=np.int32), 1.0),   # a wrong dtype
    (np.zeros((1, 7, 3), np.float32), np.arange(4, dtype=np.int64)),        # one input missing
])
def test_inputs_become_the_tensors_tensorflow_makes_or_none_when_they_do_not_fit(batch):
    traced = rasa_speedups._TracedGraph(tf.function(lambda *inputs: inputs, input_signature=SIGNATURE))
    fit = len(batch) == len(SIGNATURE)
    theirs = []
    for value, spec in zip(batch, SIGNATURE):
        try:
            tensor = tf.convert_to_tensor(value, dtype_hint=spec.dtype)
        except (TypeError, ValueError):
            fit = False
            break
        fit = fit and spec.is_compatible_with(tensor)
        theirs.append(tensor)
    ours = traced.tensors(batch)
    if not fit:
        assert ours is None
        return
    for mine, tensor in zip(ours, theirs):
        assert mine.dtype == tensor.dtype and mine.shape == tensor.shape
        assert np.array_equal(mine.numpy(), tensor.numpy())


def test_outputs_become_what_keras_and_rasa_make_of_them():
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA
    from rasa.utils.tensorflow.models import RasaModel

    def outputs():
        return {"i_scores": tf.constant([[0.1, 0.9]]), "count": tf.constant(3), "name": tf.constant("x"),
                "pair": (tf.constant(1.0), tf.constant([2.0])), "plain": 7,
                DIAGNOSTIC_DATA: {"attention_weights": tf.zeros((1, 0)), "text_transformed": tf.ones((1, 2)),
                                  "nested": {"empty": tf.zeros((0,)), "scalar": tf.constant(0.5)}}}

    theirs = tf_utils.sync_to_numpy_or_python_type(outputs())
    theirs[DIAGNOSTIC_DATA] = RasaModel._empty_lists_to_none_in_dict(theirs[DIAGNOSTIC_DATA])
    ours = {key: rasa_speedups._to_numpy(value, empty_to_none=key == DIAGNOSTIC_DATA)
            for key, value in outputs().items()}

    assert_same(ours, theirs)
    assert ours[DIAGNOSTIC_DATA]["attention_weights"] is None and ours["count"] == 3


def test_an_empty_domain_is_still_recognised():
    from rasa.shared.core.domain import Domain

    assert Domain.is_empty is rasa_speedups._domain_is_empty
    assert Domain.empty().is_empty() and Domain.from_dict({}).is_empty()
    assert not Domain.load("domain.yml").is_empty()
    assert not Domain.from_dict({"intents": ["greet"]}).is_empty()


@pytest.fixture(scope="module")
def story_trackers():
    """Our domain, and a conversation for each of our stories and rules, as Rasa serves them."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.generator import TrainingDataGenerator
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_dict(
        domain_path="domain.yml", training_data_paths=["bot/data/stories.yml", "bot/data/rules.yml"])
    domain = importer.get_domain()
    generated = TrainingDataGenerator(importer.get_stories(), domain, augmentation_factor=0,
                                      remove_duplicates=False).generate()
    trackers = [DialogueStateTracker.from_events(f"story-{n}", list(t.events), domain.slots)
                for n, t in enumerate(generated)]
    return domain, trackers


def _with_hidden_turns(tracker, hidden):
    """The same conversation with the rule turns in `hidden` (indexes of its actions) hidden."""
    from rasa.shared.core.trackers import DialogueStateTracker

    evts, action_number = [], 0
    for evt in tracker.events:
        if isinstance(evt, events.ActionExecuted):
            evt = copy.copy(evt)
            evt.hide_rule_turn = action_number in hidden
            action_number += 1
        evts.append(evt)
    return DialogueStateTracker.from_events(tracker.sender_id, evts, tracker.slots.values())


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_conversation_states_are_rasas_for_every_way_of_asking(story_trackers, data):
    from rasa.shared.core.constants import RULE_ONLY_LOOPS, RULE_ONLY_SLOTS

    domain, trackers = story_trackers
    tracker = data.draw(st.sampled_from(trackers))
    actions = sum(isinstance(evt, events.ActionExecuted) for evt in tracker.events)
    tracker = _with_hidden_turns(tracker, data.draw(st.sets(st.integers(0, max(actions - 1, 0)))))
    rule_only = {RULE_ONLY_SLOTS: data.draw(st.lists(st.sampled_from([slot.name for slot in domain.slots]))),
                 RULE_ONLY_LOOPS: data.draw(st.lists(st.sampled_from(list(domain.form_names) or ["x"])))}
    for omit_unset_slots in (False, True):
        for ignore_rule_only_turns in (False, True):
            for rule_only_data in (None, rule_only):
                asked = (tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
                ours = rasa_speedups._states_for_tracker_history(domain, *asked)
                assert ours == rasa_speedups._rasa_states_for_tracker_history(domain, *asked)
                for state in ours:   # the policies change what they get: later calls must not see it
                    for sub_state in state.values():
                        sub_state.clear()
                assert rasa_speedups._states_for_tracker_history(domain, *asked) == \
                       rasa_speedups._rasa_states_for_tracker_history(domain, *asked)


def test_conversation_states_follow_the_tracker_as_it_grows(story_trackers):
    from rasa.shared.core.trackers import DialogueStateTracker

    domain, trackers = story_trackers
    one_after_another = [evt for tracker in trackers[:8] for evt in tracker.events]
    growing = DialogueStateTracker("growing", domain.slots)
    for evt in one_after_another:
        growing.update(evt)
        for ignore_rule_only_turns in (False, True):
            assert rasa_speedups._states_for_tracker_history(domain, growing, False, ignore_rule_only_turns) \
                   == rasa_speedups._rasa_states_for_tracker_history(domain, growing, False, ignore_rule_only_turns)
    assert len(one_after_another) > 40


def test_one_replay_of_the_conversation_serves_every_policy_of_a_prediction(story_trackers, monkeypatch):
    from rasa.shared.core.trackers import DialogueStateTracker

    domain, trackers = story_trackers
    tracker = DialogueStateTracker.from_events("replays", list(trackers[0].events), domain.slots)
    replays = []
    replay = DialogueStateTracker.generate_all_prior_trackers
    monkeypatch.setattr(DialogueStateTracker, "generate_all_prior_trackers",
                        lambda self: replays.append(self) or replay(self))
    for ignore_rule_only_turns in (False, False, True):   # rules (text, intent), then memoization
        rasa_speedups._states_for_tracker_history(domain, tracker, False, ignore_rule_only_turns)
    assert len(replays) == 1
    tracker.update(events.ActionExecuted("action_listen"))   # the next prediction replays again
    rasa_speedups._states_for_tracker_history(domain, tracker)
    assert len(replays) == 2


def _everything_of(tracker):
    """All a tracker holds, comparable: its attributes, its events by identity, its slots' attributes."""
    held = {name: dict(value) if isinstance(value, dict) else value   # a snapshot, not the live dict
            for name, value in vars(tracker).items() if name not in ("events", "slots")}
    held["events"] = [id(evt) for evt in tracker.events]
    held["max_event_history"] = tracker.events.maxlen
    held["slots"] = {name: (type(slot), dict(vars(slot))) for name, slot in tracker.slots.items()}
    held["active_loop"] = copy.copy(tracker.active_loop)
    return held


def _conversations_with_every_kind_of_event(story_trackers):
    """Our stories one after another, then every kind of event, a form loop interrupted and rejected."""
    domain, trackers = story_trackers
    loop = [events.ActiveLoop("product_form"), events.ActionExecuted("product_form"),
            events.LoopInterrupted(True), events.ActionExecutionRejected("product_form"),
            events.SlotSet("language", "et"), events.ActiveLoop(None)]
    return [evt for tracker in trackers[:6] for evt in tracker.events] + EVERY_EVENT + loop


def test_a_tracker_copy_is_the_tracker_rasas_replay_makes(story_trackers):
    from rasa.shared.core.trackers import DialogueStateTracker

    domain, _ = story_trackers
    for max_event_history in (None, 7):
        tracker = DialogueStateTracker("copies", domain.slots, max_event_history, sender_source="rest")
        tracker.model_id, tracker.assistant_id = "model-1", "cps"   # what the processor sets
        for evt in _conversations_with_every_kind_of_event(story_trackers):
            tracker.update(copy.copy(evt))
            before = _everything_of(tracker)
            ours, theirs = rasa_speedups._copy_tracker(tracker), rasa_speedups._rasa_copy_tracker(tracker)
            assert _everything_of(ours) == _everything_of(theirs), evt
            ours.update(events.SlotSet("language", "lt"))   # the copy changes alone
            ours.update(events.ActionExecuted("action_listen"))
            if ours.active_loop:
                ours.active_loop.is_interrupted = not ours.active_loop.is_interrupted
            assert _everything_of(tracker) == before


def test_fake_features_are_the_ones_rasa_makes():
    import scipy.sparse
    from rasa.shared.nlu.training_data.features import Features

    sparse = Features(scipy.sparse.coo_matrix(np.eye(3, 40, dtype=np.float32)), "sequence", "text",
                      ["CountVectorsFeaturizer", "RegexFeaturizer"])
    dense = Features(np.ones((1, 12), np.float64), "sentence", "text", "LexicalSyntacticFeaturizer")
    sparse.fingerprint()   # a cached fingerprint is copied along, as deepcopy copies it
    all_features = [[None], [None, [sparse, dense]], [[dense]]]
    ours = rasa_speedups._create_fake_features(all_features)
    theirs = rasa_speedups._rasa_create_fake_features(all_features)
    assert len(ours) == len(theirs) == 2
    for mine, rasas in zip(ours, theirs):
        assert type(mine.features) is type(rasas.features)
        assert mine.features.shape == rasas.features.shape and mine.features.dtype == rasas.features.dtype
        assert {k: v for k, v in vars(mine).items() if k != "features"} == \
               {k: v for k, v in vars(rasas).items() if k != "features"}
    ours[0].origin.append("changed")   # a fake's origin is its own
    assert sparse.origin == ["CountVectorsFeaturizer", "RegexFeaturizer"]
    with pytest.raises(StopIteration):
        rasa_speedups._create_fake_features([[None]])
