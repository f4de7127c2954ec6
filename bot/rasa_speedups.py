"""Hot spots of the Rasa 3.6 server, found by profiling `make bench` and the server's start
(docs/performance.md), fixed in the Rasa process. Installed when Rasa imports our NLG
(bot/nlg.py), which happens before the model is loaded.

1. Every custom action's answer is checked with `jsonschema.validate()`, which first checks the
   schema itself and builds a new validator: about a third of the server's CPU time went there.
   The schema never changes, so it is checked once and the validator is reused (same errors).
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
"""
import sqlite3
from functools import lru_cache
from typing import Any, Dict, Text

import jsonschema
import tensorflow as tf
from jsonschema import ValidationError
from rasa.core import tracker_store as rasa_tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.models import RasaModel
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool


@lru_cache(maxsize=None)
def _action_result_validator() -> Any:
    spec = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(spec)
    validator_class.check_schema(spec)
    return validator_class(spec)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Same contract as RemoteAction._validate_action_result: True or ValidationError."""
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
    model.load_weights(model_file_name)
    model.run_eagerly = bool(config.get(RUN_EAGERLY))  # predictions: a traced tf.function again
    if predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction graph now, not on a customer
    return model


def install() -> None:
    """Idempotent. Runs when bot/nlg.py is imported, which bot/channels.py does before Rasa
    creates its tracker store and loads the model."""
    rasa_tracker_store.create_engine_kwargs = _engine_kwargs
    RasaModel.load = classmethod(_load_with_eager_weight_building)
    RemoteAction._validate_action_result = _validate_action_result
    if not event.contains(Engine, "connect", _sqlite_without_fsync_per_commit):
        event.listen(Engine, "connect", _sqlite_without_fsync_per_commit)


__all__ = ["install", "ValidationError"]
