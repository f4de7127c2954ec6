"""The Rasa server's TensorFlow settings (tests/services.py RASA_SERVER_ENV, the Procfiles: one
thread per op, no oneDNN kernels) change speed only: the same intents and entities as with
TensorFlow's defaults, confidences within rounding."""
import json
import os
import subprocess
import sys

import pytest

from bot.training import ROOT
from tests.services import RASA_SERVER_ENV

TF_SETTINGS = ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS", "TF_ENABLE_ONEDNN_OPTS")


def parse_sample(model_path, env):
    base = {k: v for k, v in os.environ.items() if k not in TF_SETTINGS}
    result = subprocess.run([sys.executable, "-m", "tests.integration.parse_sample", str(model_path)],
                            env={**base, **env}, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_the_servers_tensorflow_settings_change_no_prediction(model_path):
    defaults = parse_sample(model_path, {})
    server = parse_sample(model_path, RASA_SERVER_ENV)
    assert len(server) == len(defaults) > 100
    for want, got in zip(defaults, server):
        assert (got["text"], got["intent"], got["entities"]) == (want["text"], want["intent"], want["entities"])
        assert got["confidence"] == pytest.approx(want["confidence"], abs=1e-5), got["text"]
