import json

import numpy as np
import pytest

import utils.predictions as predictions
import utils.results as results
from utils.predictions import load_predictions, save_predictions
from utils.results import write_json_atomically


@pytest.fixture
def results_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(predictions, "RESULTS_DIR", tmp_path)
    monkeypatch.setenv("RNN_COURSE_MODE", "fast")
    return tmp_path


def test_outcomes_round_trip(results_dir):
    correct = np.array([[1, 0, 1, 1], [1, 1, 0, 1]])
    path = save_predictions("sentiment", {"lstm": correct, "tfidf_logreg": [1, 1, 0, 0]}, item="review")
    assert path == results_dir / "fast" / "predictions" / "sentiment.npz"
    stored = load_predictions("sentiment", mode="fast")
    assert stored["__item__"] == "review"
    np.testing.assert_array_equal(stored["lstm"], correct)
    assert stored["tfidf_logreg"].shape == (1, 4) or stored["tfidf_logreg"].shape == (4,)


@pytest.mark.parametrize("outcomes, match", [({}, "non-empty"), ({"lstm": [[1, 2], [3]]}, "array"),
                                             ({"lstm": [1.0, np.nan]}, "non-finite"),
                                             ({"lstm": [1, 0], "gru": [1, 0, 1]}, "same items"),
                                             ({"not a name": [1, 0]}, "names"), ({"lstm": "abc"}, "array")])
def test_bad_outcomes_are_refused(results_dir, outcomes, match):
    with pytest.raises((TypeError, ValueError), match=match):
        save_predictions("sentiment", outcomes, item="review")


def test_missing_outcomes_say_what_to_run(results_dir):
    with pytest.raises(FileNotFoundError, match="run that lesson"):
        load_predictions("sentiment", mode="fast")


def test_an_interrupted_write_leaves_the_previous_file(tmp_path):
    path = tmp_path / "lesson.json"
    write_json_atomically(path, {"a": 1})

    def broken(_temporary):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        results.replace_atomically(path, broken)
    assert json.loads(path.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.json"]  # no temporary file left behind
