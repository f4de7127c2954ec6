"""One comparison for model outputs: nested dicts, lists and tuples of NumPy arrays and Python
values, equal in type, key order, dtype and every value."""
import numpy as np


def assert_same(ours, theirs, where="outputs"):
    assert type(ours) is type(theirs), where
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs), where
        for key in theirs:
            assert_same(ours[key], theirs[key], f"{where}/{key}")
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs), where
        for number, (mine, rasas) in enumerate(zip(ours, theirs)):
            assert_same(mine, rasas, f"{where}[{number}]")
    elif isinstance(theirs, np.ndarray):
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs), where
    else:
        assert ours == theirs, where
