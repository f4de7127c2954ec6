"""Hot spots of the Rasa 3.6 server, found by profiling `make bench` and the server's start
(docs/performance.md), fixed in the Rasa process. Installed when Rasa imports our NLG
(bot/nlg.py), which happens before the model is loaded.

1. Every custom action's answer is checked with `jsonschema.validate()`, which first checks the
   schema itself and builds a new validator: about a third of the server's CPU time went there.
   The schema never changes, so it is checked once and the validator is reused (same errors).
   Even so, jsonschema tried each event of an answer against all 23 event types (4 % of the
   server's CPU, 12 ms for the 30 events of a session start): each event is now checked against
   the one type its `event` names, which gives the same verdict; the whole schema only words the
   error of an invalid answer.
2. The SQL tracker store commits every turn; on SQLite (the default topology) each commit
   waited for a full fsync. WAL with synchronous=NORMAL keeps every committed turn through a
   crash of the process (what the fault tests do) and syncs at checkpoints; only a power loss
   can drop the last turns. Production uses Postgres (endpoints.production.yml).
   Rasa also gave SQLite no connection pool, so every turn opened the file again and closing the
   last connection checkpointed the WAL: connections are now kept in a pool.
3. Loading DIET and TED, Rasa builds their weights by training one step on one example inside a
   tf.function: TensorFlow traces the whole training graph (losses, CRF) only to create variables,
   two thirds of the server's start. The same step run eagerly creates the same variables without
   tracing; the trained weights are then loaded as before and prediction stays a tf.function.
4. Every event read from the tracker store looked its class up among all subclasses of Event,
   walking the class tree anew each time: the class found for a type name is remembered.
5. Before DIET sees a message, the sparse features of the four featurizers are joined by
   deep-copying the first and calling scipy's hstack once per other featurizer; they are now
   joined in one step into the same COO matrix.
6. The prediction graph runs without dask (bot/graph_runner.py).
7. After every message Rasa calls the language check, `action_validate_slot_mappings`, on the
   action server. The call is skipped when bot/language_check.py knows that it would change
   nothing (a button payload, a short message, a message clearly in the conversation's language,
   and no offer pending); Rasa then keeps the extracted slots as it does when a domain has no
   such action.
8. Rasa 3.6's debug log calls deep-copy their arguments (the turn's events, the conversation's
   states for each policy) before structlog looks at the level, so every turn paid for copies
   that INFO logging throws away. In the modules that use `copy` for nothing else, the copy is
   made only while debug logging is on (tests/unit/test_rasa_speedups.py checks "nothing else").
9. Messages take turns, a few at a time and oldest first, instead of all starting at once; a
   message that waits long for the action server lets the next one in (bot/turn_queue.py).
   Intents triggered through Rasa's API (the backend's hand-back) and reminders take turns too.
10. Rasa opened a new HTTP session and connection for every call to the action server; the
   calls now share one session per event loop and reuse its connections (bot/kept_connections.py).
11. DIET's prediction is a tf.function with a fixed input signature, so it has exactly one traced
   graph. Calling the tf.function still matched every call's inputs against that signature and
   looked the graph up in its cache: three times the cost of running the graph itself (10 % of
   the server's CPU against 3 %). The graph is now called directly with the inputs converted as
   the tf.function converts them (NumPy arrays straight to tensors, without the dispatch of
   `tf.convert_to_tensor`); inputs that do not fit its signature take Rasa's way.
12. The rule policy matches its rules against the conversation's states from the last one back,
   and kept testing every rule against every older state, although a rule shorter than that
   many states matches whatever came before. It stops after the longest rule's length. At the
   last state it tests only the rules that ask for its intent and previous action, or leave them
   open (`_RuleIndex`); the others cannot match there.
13. Every tracker replay copies the domain's 28 slots (three replays per prediction before
   item 15); `copy.copy` went through the generic pickling protocol for each. A Slot is now
   copied the way that protocol copies it: a new object of its class with the same attributes.
14. Rasa checks at every message whether the domain is empty by building an empty domain and
   comparing the two as dicts (2 % of the CPU); the empty domain's dict is now built once.
15. Each policy gets the conversation's states from `Domain.states_for_tracker_history`, which
   replays all the tracker's events to rebuild the tracker before every action; the rule policy
   asks twice per prediction (text, then intent) and memoization once more. What each rebuilt
   tracker gives is now kept for the tracker as it is (its event count and last event), so one
   replay serves the whole prediction; each call still gets states of its own to change.
16. Before running an action Rasa copies the tracker by replaying all its events into a new one;
   the copy now takes the state that replay ends in directly from the tracker.
17. Before DIET sees a message, Rasa makes empty "fake" features for the absent ones by
   deep-copying the message's real features, matrices included, and then replacing the matrices;
   only the Features objects are copied now.
"""
import collections
import copy
import importlib
import sqlite3
import types
import weakref
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text, Tuple

import jsonschema
import numpy as np
import scipy.sparse
import tensorflow as tf
import structlog
from jsonschema import ValidationError
from keras.utils import tf_utils
from tensorflow.python.eager import context as tf_context
from tensorflow.python.framework import constant_op
from rasa.core import processor as rasa_processor
from rasa.core import tracker_store as rasa_tracker_store
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_NAME, INTENT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.utils.common import all_subclasses
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow import model_data_utils
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from bot.graph_runner import SequentialGraphRunner
from bot.language_check import may_change_anything
from bot import kept_connections, turn_queue


@lru_cache(maxsize=None)
def _action_result_validator() -> Any:
    return _validator(RemoteAction.action_response_format_spec())


@lru_cache(maxsize=None)
def _schemas_by_event_type() -> Tuple[Any, Dict[Text, Any]]:
    """The answer's schema without its events' items, and one schema per event type.

    Rasa's event schema is a `oneOf` of 23 alternatives, each fixing `event` to its own constant,
    so an event matches exactly one alternative or none: the one named by its `event`. Testing that
    one alone gives the same verdict as testing all 23 (checked here: one constant each)."""
    spec = RemoteAction.action_response_format_spec()
    events_schema = spec["properties"]["events"]
    event_schema = events_schema["items"]
    alternatives = {alt["properties"]["event"]["const"]: alt for alt in event_schema["oneOf"]}
    if len(alternatives) != len(event_schema["oneOf"]):
        raise ValueError("two event types share a name")
    common = {key: value for key, value in event_schema.items() if key != "oneOf"}
    answer = {**spec, "properties": {**spec["properties"], "events": {"type": "array"}}}
    by_type = {name: _validator({**common, "allOf": [alt]}) for name, alt in alternatives.items()}
    return _validator(answer), by_type


def _validator(schema: Dict[Text, Any]) -> Any:
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _valid_by_event_type(result: Any) -> bool:
    answer, by_type = _schemas_by_event_type()
    if not answer.is_valid(result):
        return False
    for event in result.get("events") or []:
        name = event.get("event") if isinstance(event, dict) else None
        validator = by_type.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Same contract as RemoteAction._validate_action_result: True or ValidationError."""
    if _valid_by_event_type(result):
        return True
    # jsonschema on the whole schema finds the error and words it as Rasa does
    error = jsonschema.exceptions.best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your "
                      "response from the Action endpoint is valid.")
    raise error


def _sqlite_without_fsync_per_commit(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


_rasa_engine_kwargs = rasa_tracker_store.create_engine_kwargs


def _engine_kwargs(url: Any) -> Dict[Text, Any]:
    """rasa.core.tracker_store.create_engine_kwargs, plus a pool for an SQLite file."""
    text = str(url)
    if text.startswith("sqlite") and text not in ("sqlite://", "sqlite:///") and ":memory:" not in text:
        # One event-loop thread uses the connections, but not always the one that opened them.
        return {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}
    return _rasa_engine_kwargs(url)


_rasa_load = RasaModel.load.__func__


def _load_with_eager_weight_building(cls: Any, model_file_name: Text, model_data_example: Any,
                                     predict_data_example: Any = None, finetune_mode: bool = False,
                                     *args: Any, **kwargs: Any) -> RasaModel:
    """RasaModel.load (rasa/utils/tensorflow/models.py) with the weight-building step eager."""
    if finetune_mode:  # training goes on: Rasa's own way
        return _rasa_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                          *args, **kwargs)
    config = kwargs.get("config", {})
    model = cls(*args, **kwargs)
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    # The eager step creates the optimizer's slot variables in another order than Rasa's traced
    # step, and the checkpoint restores them by position: for TED a shape clash, a ValueError that
    # TEDPolicy.load swallows, and the bot ran without TED. A fresh optimizer has no slots yet, so
    # the checkpoint's are left aside; prediction never uses them.
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    status = model.load_weights(model_file_name)
    if status is not None:
        status.expect_partial()  # the optimizer's values stay unread, on purpose: no warnings about them
    model.run_eagerly = bool(config.get(RUN_EAGERLY))  # predictions: a traced tf.function again
    if predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction graph now, not on a customer
    return model


_rasa_predict = RasaModel._rasa_predict
class _TracedGraph:
    """A tf.function's one traced graph, and what its inputs must be: per input its spec and,
    for the usual NumPy input, the dtype and shape (None: any length) that fit the spec."""

    def __init__(self, function: Any) -> None:
        self.graph = function.get_concrete_function()  # the signature's graph, no new trace
        self.specs = tf.nest.flatten(self.graph.structured_input_signature)
        self.numpy_dtypes = [spec.dtype.as_numpy_dtype for spec in self.specs]
        self.shapes = [None if spec.shape.rank is None else tuple(spec.shape.as_list())
                       for spec in self.specs]

    def tensors(self, batch_in: Tuple[Any, ...]) -> Optional[List[Any]]:
        """The inputs as tf.function converts them (tf.convert_to_tensor with the spec's dtype
        as hint), or None when one does not fit the signature (spec.is_compatible_with). A NumPy
        array of the spec's dtype becomes a tensor without the dispatch of tf.convert_to_tensor
        (30 µs), and its shape is checked on the array (is_compatible_with takes 8 µs)."""
        if len(batch_in) != len(self.specs) or not tf.executing_eagerly():
            return None
        context = tf_context.context()
        tensors = []
        for value, spec, dtype, shape in zip(batch_in, self.specs, self.numpy_dtypes, self.shapes):
            if isinstance(value, np.ndarray) and value.dtype == dtype:
                if shape is not None and (value.ndim != len(shape) or any(
                        wanted is not None and wanted != size for size, wanted in zip(value.shape, shape))):
                    return None
                tensors.append(constant_op.convert_to_eager_tensor(value, context, spec.dtype))
            else:
                tensor = tf.convert_to_tensor(value, dtype_hint=spec.dtype)
                if not spec.is_compatible_with(tensor):
                    return None
                tensors.append(tensor)
        return tensors


# tf.function -> its traced graph
_traced_graphs: "weakref.WeakKeyDictionary[Any, _TracedGraph]" = weakref.WeakKeyDictionary()


def _to_numpy(outputs: Any, empty_to_none: bool = False) -> Any:
    """keras' sync_to_numpy_or_python_type for a dict of eager tensors (NumPy arrays, scalars as
    Python numbers) without tf.nest; with `empty_to_none`, also RasaModel's
    _empty_lists_to_none_in_dict."""
    if isinstance(outputs, dict):
        return {key: _to_numpy(value, empty_to_none) for key, value in outputs.items()}
    if isinstance(outputs, (list, tuple)):
        outputs = tf_utils.sync_to_numpy_or_python_type(outputs)  # rare: keras' own walk
    else:  # keras' conversion of one tensor
        if isinstance(outputs, tf.Tensor):
            outputs = outputs.numpy()
        if isinstance(outputs, (np.ndarray, np.generic)) and np.ndim(outputs) == 0:
            outputs = outputs.item()
    if empty_to_none and isinstance(outputs, (list, np.ndarray)) and np.size(outputs) == 0:
        return None
    return outputs


def _predict_on_the_traced_graph(self: RasaModel, batch_in: Tuple[np.ndarray, ...]) -> Dict[Text, Any]:
    """RasaModel._rasa_predict with the traced graph called directly (same inputs, same outputs)."""
    function = self._tf_predict_step
    if function is None or self._run_eagerly or function not in _traced_graphs:
        outputs = _rasa_predict(self, batch_in)  # the first call prepares and traces
        if self._tf_predict_step is not None and not self._run_eagerly:
            _traced_graphs[self._tf_predict_step] = _TracedGraph(self._tf_predict_step)
        return outputs
    traced = _traced_graphs[function]
    tensors = traced.tensors(batch_in)
    if tensors is None:
        return _rasa_predict(self, batch_in)  # Rasa's way, and its error
    if self._training is not False:  # keras' __setattr__ costs 10 µs even for the same value
        self._training = False
    outputs = traced.graph._call_flat(tensors, captured_inputs=traced.graph.captured_inputs)
    if not isinstance(outputs, dict):
        outputs = tf_utils.sync_to_numpy_or_python_type(outputs)
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs
    return {key: _to_numpy(value, empty_to_none=key == DIAGNOSTIC_DATA) for key, value in outputs.items()}


@lru_cache(maxsize=1)
def _empty_domain_as_dict() -> Dict[Text, Any]:
    return Domain.empty().as_dict()


def _domain_is_empty(self: Domain) -> bool:
    """Domain.is_empty, with the empty domain built once instead of at every message."""
    return self.as_dict() == _empty_domain_as_dict()


_rasa_possible_keys = RulePolicy._get_possible_keys


class _RuleIndex:
    """One rule lookup's keys by what their last state asks of a conversation's last state: the
    user's intent and the previous action's name (ANY where the rule leaves it open or asks
    something else, e.g. that it is not set). A conversation's last state with a previous action
    fails every rule that asks another intent or action (`_does_rule_match_state`), so only the
    four buckets that fit it can hold rules that match."""
    ANY = object()

    def __init__(self, lookup: Dict[Text, Text]) -> None:
        self.lookup = lookup  # kept so that its id is not reused while this index lives
        self.size = len(lookup)
        self.longest = max((len(RulePolicy._rule_key_to_state(key)) for key in lookup), default=0)
        self.buckets: Dict[Tuple[Any, Any], List[Text]] = {}
        for key in lookup:
            last = RulePolicy._rule_key_to_state(key)[-1]
            wanted = (self._exact(last.get(USER, {}).get(INTENT)),
                      self._exact(last.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)))
            self.buckets.setdefault(wanted, []).append(key)

    @classmethod
    def _exact(cls, value: Any) -> Any:
        return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else cls.ANY

    def fits(self, lookup: Dict[Text, Text]) -> bool:
        return lookup is self.lookup and len(lookup) == self.size

    def candidates(self, last_state: Dict[Text, Any]) -> List[Text]:
        """The rules that may match `last_state`; every rule when it is a conversation's start
        (no previous action: then rules match by other conditions)."""
        if not last_state.get(PREVIOUS_ACTION):
            return list(self.lookup)
        intent = last_state.get(USER, {}).get(INTENT)
        action = last_state[PREVIOUS_ACTION].get(ACTION_NAME)
        found: List[Text] = []
        for wanted in {(intent, action), (intent, self.ANY), (self.ANY, action), (self.ANY, self.ANY)}:
            found.extend(self.buckets.get(wanted, ()))
        return found


def _rule_index(policy: RulePolicy, lookup: Dict[Text, Text]) -> _RuleIndex:
    indexes = policy.__dict__.setdefault("_bot_rule_indexes", {})
    index = indexes.get(id(lookup))
    if index is None or not index.fits(lookup):
        index = indexes[id(lookup)] = _RuleIndex(lookup)
    return index


def _possible_keys(self: RulePolicy, lookup: Dict[Text, Text], states: List[Any]) -> Any:
    """RulePolicy._get_possible_keys, testing at the last state only the rules of its bucket
    (`_RuleIndex`), and without the turns older than the longest rule: there
    `_is_rule_applicable` is True for every rule (the turn index is beyond the rule's length)."""
    if not states:
        return set(lookup)
    index = _rule_index(self, lookup)
    possible_keys = {key for key in index.candidates(states[-1])
                     if self._is_rule_applicable(key, 0, states[-1])}
    older = states[-index.longest:-1] if index.longest > 1 else []
    for i, state in enumerate(reversed(older), start=1):
        possible_keys = {key for key in possible_keys if self._is_rule_applicable(key, i, state)}
    return possible_keys


_rasa_states_for_tracker_history = Domain.states_for_tracker_history
# (tracker, domain, omit_unset_slots) -> (its event count, its last event, its history's steps)
_recent_histories: "collections.OrderedDict[Tuple[int, int, bool], Tuple[Any, ...]]" = collections.OrderedDict()
_HISTORIES_KEPT = 8


def _history_steps(domain: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool) -> List[Any]:
    """What Domain.states_for_tracker_history reads of each prior tracker, for this tracker as it
    is now: replaying its events once serves all the policies of a prediction. Events are not
    changed once they are in a tracker; the one exception in Rasa 3.6
    (DefinePrevUserUtteredFeaturization changing the last user message) comes with a new event,
    which makes a new entry here."""
    events = tracker.events
    last_event = events[-1] if events else None
    key = (id(tracker), id(domain), omit_unset_slots)
    kept = _recent_histories.get(key)
    if kept and kept[0]() is tracker and kept[1] is domain and kept[2] == len(events) \
            and kept[3] is last_event:
        return kept[4]
    steps = [(hide_rule_turn,
              bool(prior.followup_action or prior.latest_action_name == prior.active_loop_name),
              domain._get_prev_action_sub_state(prior),
              domain.get_active_state(prior, omit_unset_slots=omit_unset_slots))
             for prior, hide_rule_turn in tracker.generate_all_prior_trackers()]
    _recent_histories[key] = (weakref.ref(tracker), domain, len(events), last_event, steps)
    while len(_recent_histories) > _HISTORIES_KEPT:
        _recent_histories.popitem(last=False)
    return steps


def _states_for_tracker_history(self: Domain, tracker: DialogueStateTracker,
                                omit_unset_slots: bool = False, ignore_rule_only_turns: bool = False,
                                rule_only_data: Optional[Dict[Text, Any]] = None) -> List[Any]:
    """Rasa's Domain.states_for_tracker_history on the prior trackers' steps kept by
    `_history_steps`. Each call gets new dicts, shared between its states where Rasa shares them,
    because the policies change the states they get."""
    if type(tracker) is not DialogueStateTracker:
        return _rasa_states_for_tracker_history(self, tracker, omit_unset_slots,
                                                ignore_rule_only_turns, rule_only_data)
    states: List[Any] = []
    last_ml_action_sub_state = None
    turn_was_hidden = False
    for hide_rule_turn, keeps_hiding, prev_action_sub_state, active_state in \
            _history_steps(self, tracker, omit_unset_slots):
        if ignore_rule_only_turns:
            if not turn_was_hidden:
                last_ml_action_sub_state = dict(prev_action_sub_state)
            if not keeps_hiding:  # a follow-up action or the loop's happy path
                turn_was_hidden = hide_rule_turn
            if turn_was_hidden:
                continue
        state = {part: dict(sub_state) for part, sub_state in active_state.items()}
        if ignore_rule_only_turns:
            self._remove_rule_only_features(state, rule_only_data)
            if states:
                self._substitute_rule_only_user_input(state, states[-1])
            if last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = last_ml_action_sub_state
        states.append(self._clean_state(state))
    return states


_rasa_copy_tracker = DialogueStateTracker.copy


def _copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """DialogueStateTracker.copy without replaying every event into a new tracker: the new one
    gets the state that the replay ends in, which is this tracker's own because it got there
    through the same events. What is not made by events (the sender source, model and assistant
    ids) stays as a fresh tracker has it, as in Rasa's copy."""
    if type(self) is not DialogueStateTracker or type(self.slots) is not dict:
        return _rasa_copy_tracker(self)
    if self.events.maxlen is not None and len(self.events) >= self.events.maxlen:
        return _rasa_copy_tracker(self)  # events may have been dropped: the replay lacks them
    copied = self.init_copy()
    copied.events = self._create_events(list(self.events))
    copied.slots = {name: copy.copy(slot) for name, slot in self.slots.items()}
    copied._paused = self._paused
    copied.followup_action = self.followup_action
    copied.latest_action = None if self.latest_action is None else dict(self.latest_action)
    copied.latest_message = self.latest_message
    copied.latest_bot_utterance = self.latest_bot_utterance
    copied.active_loop = None if self.active_loop is None else copy.copy(self.active_loop)
    return copied


def _copy_slot(self: Slot) -> Slot:
    """copy.copy(slot) as the pickling protocol does it for a class without __slots__,
    __reduce__ or __setstate__ (checked at install): cls.__new__(cls), then the same __dict__."""
    cls = type(self)
    new = cls.__new__(cls)
    new.__dict__.update(self.__dict__)
    return new


def _copied_like_plain_objects(cls: type) -> bool:
    """No class of its MRO has slots (abc.ABC's are empty) or its own copying or pickling."""
    own_ways = {"__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__copy__", "__new__"}
    return all(not vars(klass).get("__slots__") and own_ways.isdisjoint(vars(klass))
               for klass in cls.__mro__ if klass is not object)


_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: Dict[Text, type] = {}


def _resolve_by_type(type_name: Text, default: Optional[type] = None) -> Optional[type]:
    """Event.resolve_by_type, remembering the classes found (unknown names: Rasa's answer)."""
    if type_name not in _event_classes:
        found = next((cls for cls in all_subclasses(Event) if cls.type_name == type_name), None)
        if found is None:
            return _rasa_resolve_by_type(type_name, default)
        _event_classes[type_name] = found
    return _event_classes[type_name]


_rasa_combine_features = Message._combine_features


def _combine_features(features: List[Features], featurizers: List[Text]) -> Optional[Features]:
    """Message._combine_features: the same COO matrix, built in one step for sparse features."""
    if len(features) < 2 or not all(scipy.sparse.isspmatrix_coo(f.features) for f in features):
        return _rasa_combine_features(features, featurizers)  # hstack's result would not be COO
    matrices = [f.features for f in features]
    rows = matrices[0].shape[0]
    for matrix in matrices[1:]:
        if matrix.shape[0] != rows:
            raise ValueError(f"Cannot combine sparse features as sequence dimensions do not match: "
                             f"{rows} != {matrix.shape[0]}.")
    offsets = np.cumsum([0] + [m.shape[1] for m in matrices[:-1]])
    dtype = np.result_type(*(m.dtype for m in matrices))
    combined = scipy.sparse.coo_matrix(
        (np.concatenate([m.data for m in matrices]).astype(dtype, copy=False),
         (np.concatenate([m.row for m in matrices]), np.concatenate([m.col + o for m, o in zip(matrices, offsets)]))),
        shape=(rows, int(sum(m.shape[1] for m in matrices))))
    return Features(combined, features[0].type, features[0].attribute, featurizers)


_run_validation_action = ActionExtractSlots._execute_validation_action


async def _validate_only_when_it_may_change_something(
    self: ActionExtractSlots, extraction_events: List[Event], output_channel: Any, nlg: Any,
    tracker: Any, domain: Any,
) -> List[Event]:
    message = tracker.latest_message
    intent = (message.intent or {}).get("name") if message else None
    if message is not None and not may_change_anything(
            message.text, intent, tracker.get_slot("offer"), tracker.get_slot("language")):
        return [e for e in extraction_events if isinstance(e, SlotSet)]
    return await _run_validation_action(self, extraction_events, output_channel, nlg, tracker, domain)


_rasa_create_fake_features = model_data_utils._create_fake_features


def _create_fake_features(all_features: List[List[List[Features]]]) -> List[Features]:
    """model_data_utils._create_fake_features without deep-copying the example's feature matrices,
    which it then replaces with empty ones: each fake is a copy of the example Features with its
    own copy of the origin (a name or a list of names) and an empty matrix of the same width."""
    example = next(features for per_message in all_features for features in per_message
                   if features is not None)
    fakes = []
    for features in example:
        fake = copy.copy(features)
        fake.origin = copy.deepcopy(features.origin)
        width, dtype = features.features.shape[-1], features.features.dtype
        if features.is_dense():
            fake.features = np.zeros((0, width), dtype)
        else:
            fake.features = scipy.sparse.coo_matrix((0, width), dtype)
        fakes.append(fake)
    return fakes


# Rasa modules whose only use of `copy` is `copy.deepcopy(...)` in debug-log arguments.
MODULES_COPYING_ONLY_FOR_DEBUG_LOGS = (
    "rasa.core.processor", "rasa.core.policies.rule_policy", "rasa.core.policies.memoization",
    "rasa.core.actions.forms",
)


def _debug_logs_on() -> bool:
    # Rasa configures structlog with a filtering logger: below its level, `debug` is a no-op.
    # Any other logger class counts as logging debug, so its arguments are copied as before.
    debug = getattr(structlog.get_config()["wrapper_class"], "debug", None)
    return getattr(debug, "__name__", "") != "_nop"


def _deepcopy_for_debug_log(value: Any, memo: Optional[Dict[int, Any]] = None) -> Any:
    return copy.deepcopy(value, memo) if _debug_logs_on() else value


_COPY_FOR_DEBUG_LOGS = types.SimpleNamespace(deepcopy=_deepcopy_for_debug_log, copy=copy.copy)


_rasa_handle_message = rasa_processor.MessageProcessor.handle_message
_rasa_trigger_external_user_uttered = rasa_processor.MessageProcessor.trigger_external_user_uttered


def install() -> None:
    """Idempotent. Runs when bot/nlg.py is imported, which bot/channels.py does before Rasa
    creates its tracker store and loads the model."""
    rasa_tracker_store.create_engine_kwargs = _engine_kwargs
    RasaModel.load = classmethod(_load_with_eager_weight_building)
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    Message._combine_features = staticmethod(_combine_features)
    RasaModel._rasa_predict = _predict_on_the_traced_graph
    RulePolicy._get_possible_keys = _possible_keys
    Domain.is_empty = _domain_is_empty
    Domain.states_for_tracker_history = _states_for_tracker_history
    DialogueStateTracker.copy = _copy_tracker
    model_data_utils._create_fake_features = _create_fake_features
    if Slot.__dict__.get("__copy__") is not _copy_slot and all(
            _copied_like_plain_objects(cls) for cls in (Slot, *all_subclasses(Slot))):
        Slot.__copy__ = _copy_slot  # else a slot type copies itself its own way: left to Rasa
    rasa_processor.DaskGraphRunner = SequentialGraphRunner  # the runner Rasa loads models with
    ActionExtractSlots._execute_validation_action = _validate_only_when_it_may_change_something
    for name in MODULES_COPYING_ONLY_FOR_DEBUG_LOGS:
        importlib.import_module(name).copy = _COPY_FOR_DEBUG_LOGS
    turn_queue.slots()  # a wrong CHAT_TURNS_AT_ONCE stops Rasa at start, not every message
    rasa_processor.MessageProcessor.handle_message = turn_queue.taking_turns(_rasa_handle_message)
    rasa_processor.MessageProcessor.trigger_external_user_uttered = turn_queue.taking_turns(
        _rasa_trigger_external_user_uttered, marked_arrival=False)
    EndpointConfig.request = turn_queue.slot_given_up_if_slow(kept_connections.request)
    if not event.contains(Engine, "connect", _sqlite_without_fsync_per_commit):
        event.listen(Engine, "connect", _sqlite_without_fsync_per_commit)


__all__ = ["install", "ValidationError"]
