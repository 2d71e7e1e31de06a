"""utils.memory_regimes: lesson 03's solved counts, longest distances, relabelling chance level and records."""

import numpy as np
import pytest

from utils.memory_regimes import (
    OutcomeLog,
    longest_solved,
    models_record,
    relabelling_chance,
    solved_count,
    solved_counts,
    span_table,
    with_str_keys,
)
from utils.memory_task import best_relabelling

TABLE = {"simple_rnn": {20: [1.0, 0.95, 0.2], 50: [0.99, 0.3, None], 100: [0.1, None, None]},
         "lstm": {20: [0.1, 0.2, 0.15], 50: [None, None, None], 100: [None, None, None]}}


def test_solved_counts_leave_untried_seeds_out_and_say_not_tried():
    assert solved_count(TABLE["simple_rnn"][50]) == (1, 2)  # the untried seed is not a failure
    frame = solved_counts(TABLE)
    assert frame.loc[20, "simple_rnn"].startswith("2/3 (")
    assert frame.loc[50, "lstm"] == "not tried"
    low, high = frame.loc[20, "lstm"].split("(")[1].rstrip(")").split("–")
    assert float(low) == 0.0 and 0.6 < float(high) < 0.8  # 0/3: an exact interval, not a point


def test_five_of_five_still_allows_a_cell_that_fails_half_the_time():
    frame = solved_counts({"lstm": {5: [1.0] * 5}})
    low = float(frame.loc[5, "lstm"].split("(")[1].split("–")[0])
    assert 0.4 < low < 0.55


def test_longest_solved_stops_at_the_first_failure_or_untried_distance():
    assert longest_solved(TABLE, "simple_rnn") == [50, 20, 0]
    assert longest_solved(TABLE, "lstm") == [0, 0, 0]
    assert span_table({"from_scratch": TABLE}).loc["simple_rnn", "from_scratch"] == "50 20 0"


def test_relabelling_chance_is_what_answers_unrelated_to_the_token_score():
    rng = np.random.default_rng(0)
    true = rng.integers(0, 8, (1024, 1))
    unrelated = rng.integers(0, 8, (1024, 1))
    kept = (true + 3) % 8  # every token kept, under another name
    chance = relabelling_chance(unrelated, true)
    assert abs(best_relabelling(unrelated, true) - chance) < 0.05  # an unrelated answer scores at chance
    assert best_relabelling(kept, true) == 1.0 and relabelling_chance(kept, true) < 0.3
    with pytest.raises(ValueError):
        relabelling_chance(kept, true, shuffles=0)


def test_outcome_log_stores_one_row_per_seed_and_returns_the_accuracy():
    log = OutcomeLog()
    assert log.record("curriculum", "lstm", 5, np.array([[1], [2]]), np.array([[1], [3]])) == 0.5
    log.record("curriculum", "lstm", 5, np.array([[1], [3]]), np.array([[1], [3]]))
    assert log.arrays()["curriculum__lstm__T5"].tolist() == [[1.0, 0.0], [1.0, 1.0]]


def test_records_store_distances_as_strings_and_spans_per_regime():
    assert list(with_str_keys(TABLE)["lstm"]) == ["20", "50", "100"]
    record = models_record({"from_scratch": TABLE}, {"simple_rnn": 10, "lstm": 20})
    assert record["simple_rnn"]["longest_lag_solved"]["from_scratch"] == [50, 20, 0]
    assert record["simple_rnn"]["median_longest_lag_solved"]["from_scratch"] == 20.0
    with pytest.raises(TypeError):
        with_str_keys([1, 2])
