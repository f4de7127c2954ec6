"""make bench: load tests of the assistant against a stock Rasa 3.6 baseline (see run.py)."""
