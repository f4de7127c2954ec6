"""The bench's own logic: the conversations it sends and how it reads a profile."""
from bench import conversations, profile
from bot import languages


def test_conversations_cover_every_language_with_account_questions():
    built = conversations.build(12, {"fi": "token-fi"})
    assert {c["language"] for c in built} == set(languages.supported())
    for conversation in built:
        assert [t["kind"] for t in conversation["turns"]] == ["greet", "general", "account", "thank", "goodbye"]
        assert all(t["text"].strip() and "](" not in t["text"] for t in conversation["turns"])
    assert all(c["login_token"] == "token-fi" for c in built if c["language"] == "fi")


def test_profile_counts_each_sample_once_in_the_first_matching_category():
    raw = "\n".join([
        "handle (sanic/app.py:1);predict (rasa/core/policies/ted_policy.py:9);call (tensorflow/x.py:3) 30",
        "handle (sanic/app.py:1);process (rasa/nlu/classifiers/diet_classifier.py:5) 50",
        "handle (sanic/app.py:1);save (rasa/core/tracker_store.py:7) 15",
        "run_forever (asyncio/base_events.py:1) 5",
    ])
    shares = profile.categorise(raw)
    assert shares["NLU (tokens, features, DIET, fallback)"] == 0.5
    assert shares["dialogue policies"] == 0.3
    assert shares["tracker store"] == 0.15
    assert shares[profile.OTHER] == 0.05
    assert list(shares)[0].startswith("NLU")
