"""The exercises of every lesson: reference solutions pass, typical wrong answers fail with a helpful message,
``None`` reports "not attempted", the notebooks use exactly the registered exercises, and each exercise's
question, options and "Checked" line in the notebook are the module's, word for word.

The reference solutions run in fast mode (``RNN_COURSE_MODE=fast``), as the notebooks do in the test command.
"""

import functools
import json
import re
import runpy
from pathlib import Path

import numpy as np
import pytest

from utils.exercises import EXERCISES, check, exercises_of, hint, solution, solution_source

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "utils" / "solutions"
LESSONS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"""check\(\s*["'](\d\d\.\d+)["']""")
IDS = list(EXERCISES)
# An exercise in a notebook's markdown: a numbered item "N. **NN.k** question" and its indented lines.
EXERCISE_ITEM = re.compile(r"^\d+\. \*\*(\d\d\.\d+)\*\* (.*?)(?=\n\S|\Z)", re.S | re.M)
OPTION = re.compile(r'^\s*- "(\w)": ', re.M)  # an option of a choice: '- "a": text'
CHECKED = "*Checked:*"


def notebook_ids(path):
    """The exercise ids a notebook checks, in the order of its code cells."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return CHECK_CALL.findall(code)


def squash(text):
    """``text`` with every run of whitespace made one space: the notebooks wrap their lines, the module does not."""
    return " ".join(text.split())


@functools.cache
def notebook_exercises():
    """{id: [(notebook, question, options, checked), ...]} from the numbered items of the notebooks' markdown.

    An exercise is an item "N. **NN.k** question", then (for a choice) its options, one per line '- "a": text',
    then a paragraph "*Checked:* what the check verifies."; the texts come back squashed.
    """
    found = {}
    for path in LESSONS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for exercise_id, item in EXERCISE_ITEM.findall("".join(cell["source"])):
                asked, _, checked = item.partition(CHECKED)
                question, *options = OPTION.split(asked)
                options = [(letter, squash(text)) for letter, text in zip(options[::2], options[1::2])]
                found.setdefault(exercise_id, []).append((path.name, squash(question), options, squash(checked)))
    return found


@pytest.fixture
def fast_mode(monkeypatch):
    monkeypatch.setenv("RNN_COURSE_MODE", "fast")


# Fast-mode stand-ins for the stored results that some exercises decide against (the lessons' own fast-mode
# results may not exist yet when the tests run): lesson 04's LSTM on the 400 test reviews fast mode loads,
# lesson 06's set-up and stateless per-seed test losses of its GRU, and lesson 08's three poolings.
FAST_TEST_REVIEWS = 400
FAKE_LSTM_SEEDS = [0.5325, 0.545, 0.5575]
FAKE_TEXT_SETUP = {"batch_size": 64, "seq_len": 100, "budget_seconds": 1, "test_sequence": 200}
FAKE_STATELESS = {"gru": [3.05, 3.1, 3.15], "lstm": [3.3, 3.35, 3.4]}  # per-seed test nats/char
FAKE_POOLING = {"lstm_last_state": [0.5325, 0.545, 0.5575], "lstm_average": [0.6, 0.61, 0.5875],
                "lstm_attention": [0.6, 0.5975, 0.6125]}  # lesson 08's per-seed test accuracies


def fake_lstm_outcomes(seeds=FAKE_LSTM_SEEDS, reviews=FAST_TEST_REVIEWS):
    """[seeds, reviews] of 1/0 whose rows average exactly to ``seeds``."""
    rng = np.random.default_rng(4)
    rows = [rng.permutation(np.arange(reviews) < round(a * reviews)) for a in seeds]
    return np.stack(rows).astype(int)


@pytest.fixture
def stored_results(tmp_path, monkeypatch, fast_mode):
    """Fake fast-mode results of lessons 04 and 06 in a temporary results folder."""
    from utils import predictions, results

    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(predictions, "RESULTS_DIR", tmp_path)
    results.save_results("sentiment", {"lstm": {"test_accuracy_seeds": FAKE_LSTM_SEEDS,
                                                "test": {"accuracy": float(np.mean(FAKE_LSTM_SEEDS))}}})
    predictions.save_predictions("sentiment", {"lstm": fake_lstm_outcomes()}, item="review")
    results.save_results("text_generation", {
        cell: {"units": 32, "learning_rate": 0.004, "test_loss_seeds": seeds,
               "test": {"loss_nats_per_char": float(np.mean(seeds))}} for cell, seeds in FAKE_STATELESS.items()},
        setup=FAKE_TEXT_SETUP)
    results.save_results("choosing_a_cell",
                         {key: {"test_accuracy_seeds": seeds} for key, seeds in FAKE_POOLING.items()})
    predictions.save_predictions("choosing_a_cell", {key: fake_lstm_outcomes(seeds) for key, seeds in
                                                     FAKE_POOLING.items()}, item="review")
    return tmp_path


READS_STORED_RESULTS = {"05.3", "06.4", "08.3"}


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_reference_solution_passes(exercise_id, fast_mode, capsys, request):
    if exercise_id in READS_STORED_RESULTS:
        request.getfixturevalue("stored_results")
    namespace = runpy.run_path(str(SOLUTIONS / EXERCISES[exercise_id].solution_file), run_name="solution")
    assert "answer" in namespace, f"the solution of {exercise_id} must end with `answer`"
    capsys.readouterr()
    assert check(exercise_id, namespace["answer"]), capsys.readouterr().out
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_wrong_answers_fail_with_a_message(exercise_id, capsys):
    ex = EXERCISES[exercise_id]
    assert ex.wrong_answers, f"{exercise_id} lists no typical wrong answer"
    for answer, fragment in ex.wrong_answers:
        ok, message = ex.evaluate(answer)
        assert not ok, f"{exercise_id} accepted the wrong answer {answer!r}"
        assert fragment.lower() in message.lower(), f"{exercise_id}: {message!r} lacks {fragment!r}"
        assert not message.startswith("the check could not read"), f"{exercise_id}: {message}"
        assert check(exercise_id, answer) is False
        out = capsys.readouterr().out
        assert out.startswith(f"❌ {exercise_id}") and "verifies" in out


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_none_is_not_attempted(exercise_id, capsys):
    assert check(exercise_id, None) is False
    out = capsys.readouterr().out
    assert "not attempted" in out and f'hint("{exercise_id}")' in out


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_wrong_types_are_a_cross_not_a_traceback(exercise_id, capsys):
    for answer in ("abc", 3.5, [], {}, object()):
        assert check(exercise_id, answer) is False
    assert "❌" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_hint_and_solution_print(exercise_id, capsys):
    hint(exercise_id)
    assert EXERCISES[exercise_id].hint[:40] in capsys.readouterr().out.replace("\n   ", " ")
    solution(exercise_id)
    out = capsys.readouterr().out
    assert solution_source(exercise_id) in out and "answer = " in out


def test_exercise_unknown_id_raises():
    with pytest.raises(ValueError, match="00.1"):
        check("99.9", 1)
    for function in (hint, solution):
        with pytest.raises(ValueError, match="no exercise"):
            function("3.1")


def test_exercise_solution_files_match_the_registry():
    files = {path.name for path in SOLUTIONS.glob("ex_*.py")}
    assert files == {ex.solution_file for ex in EXERCISES.values()}


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_question_is_the_notebooks_wording(exercise_id):
    """hint() prints the module's question and options, check() its 'verifies'; the notebook shows its own item.

    The rule: whitespace aside (the notebook wraps its lines), the notebook's question, options and "*Checked:*"
    sentence are the module's question, options and verifies + ".", markdown and all.
    """
    ex = EXERCISES[exercise_id]
    items = notebook_exercises().get(exercise_id, [])
    assert len(items) == 1, (f"{exercise_id} should be introduced by one markdown item '**{exercise_id}** ...' in the "
                             f"notebooks, found {[item[0] for item in items]}")
    notebook, question, options, checked = items[0]
    module = f"utils/exercises/lesson_{exercise_id[:2]}.py"
    assert notebook[:2] == exercise_id[:2], f"{exercise_id} is introduced in {notebook}"
    assert question == squash(ex.question), f"{notebook} and {module} word the question of {exercise_id} differently"
    assert options == [(letter, squash(text)) for letter, text in ex.options], (
        f"{notebook} and {module} list different options for {exercise_id}")
    assert checked == squash(ex.verifies) + ".", (
        f"{notebook}'s *Checked:* line of {exercise_id} is not {module}'s verifies + '.'")


def test_exercise_items_in_notebooks_are_registered():
    assert set(notebook_exercises()) <= set(EXERCISES), "a notebook introduces an exercise the registry lacks"


def test_exercise_every_lesson_has_at_least_two():
    assert len(LESSONS) == 11
    for lesson in range(len(LESSONS)):
        assert len(exercises_of(lesson)) >= 2, f"lesson {lesson:02d} has fewer than 2 exercises"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_exercise_ids_in_notebook_match_registry(path):
    lesson = int(path.name[:2])
    used = notebook_ids(path)
    registered = [ex.id for ex in exercises_of(lesson)]
    unknown = sorted(set(used) - set(EXERCISES))
    assert not unknown, f"{path.name} checks unregistered exercises {unknown}"
    assert not [i for i in used if int(i[:2]) != lesson], f"{path.name} checks another lesson's exercise"
    assert sorted(used) == sorted(set(used)), f"{path.name} checks an exercise twice"
    assert set(used) == set(registered), f"{path.name} checks {used}, the registry has {registered}"


# ---------------------------------------------------------------- lesson 04
@pytest.mark.parametrize(("answer", "decimals"), [(0.88, "2 decimals"), (0.9, "1 decimal"), (0.880, "2 decimals")])
def test_04_1_a_rounded_right_answer_is_not_called_a_slice(answer, decimals):
    ok, message = EXERCISES["04.1"].evaluate(answer)
    assert not ok
    assert f"the right share rounded to {decimals}" in message and "three decimals" in message
    assert "close but not" not in message


def test_04_1_a_different_value_is_still_a_slice_and_the_registered_one_is_honest():
    import numpy as np

    from utils.datasets import load_imdb
    from utils.exercises.lesson_04 import FAST_TRAIN_REVIEWS

    def share(limit):
        return float(np.mean([len(t.split()) > 100 for t in load_imdb("train", limit=limit)["text"]]))

    ex = EXERCISES["04.1"]
    assert (0.881, "slice") in ex.wrong_answers and round(share(1000), 3) == 0.881  # the first 1,000 reviews
    ok, message = ex.evaluate(0.881)
    assert not ok and "slice" in message and "rounded" not in message
    assert ex.evaluate(round(share(None), 3))[0] and ex.evaluate(share(None))[0]
    # 0.88 is both the rounded answer and, exactly, the share over fast mode's slice: the message says both
    assert share(FAST_TRAIN_REVIEWS) == 0.88
    ok, message = ex.evaluate(0.88)
    assert not ok and "rounded" in message and f"first {FAST_TRAIN_REVIEWS:,} reviews that fast mode loads" in message
    assert "fast mode" not in ex.evaluate(0.9)[1]


def test_04_2_passes_numbers_without_the_effect_with_a_note(capsys):
    record = {"post": 0.519, "pre": 0.50, "why": "b"}
    assert check("04.2", record) is True
    out = capsys.readouterr().out
    assert out.startswith("✅ 04.2") and "do not show the effect" in out and "pre 0.500 <= post 0.519" in out
    for pre in (0.519, 0.79):  # a tie has no effect either; a clear gain gets no note
        ok, message = EXERCISES["04.2"].evaluate({"post": 0.519, "pre": pre, "why": "b"})
        assert ok and ("do not show the effect" in message) == (pre <= 0.519)
    ok, message = EXERCISES["04.2"].evaluate({"post": 0.519, "pre": 0.50, "why": "a"})
    assert not ok and "mask" in message  # a wrong reason is still wrong, whatever the numbers


# ---------------------------------------------------------------- lesson 05
def stacked_answer(accuracies=(0.54, 0.55, 0.5475), outcome=None, reviews=FAST_TEST_REVIEWS):
    from utils.verdicts import compare

    outcomes = fake_lstm_outcomes(accuracies, reviews)
    answer = {"accuracies": list(accuracies), "outcomes": outcomes, "outcome": outcome}
    if outcome is None:
        answer["outcome"] = compare(list(accuracies), FAKE_LSTM_SEEDS, names=("stacked_lstm", "lstm"),
                                    items=(outcomes, fake_lstm_outcomes()), margin="accuracy").outcome
    return answer


def test_05_3_the_outcome_must_be_the_rules_for_the_stored_lstm(stored_results):
    ex = EXERCISES["05.3"]
    answer = stacked_answer()
    ok, message = ex.evaluate(answer)
    assert ok, message
    assert "interval" in message and "paired items" in message
    other = next(o for o in ("A better", "B better", "equivalent", "not decided") if o != answer["outcome"])
    ok, message = ex.evaluate(answer | {"outcome": other})
    assert not ok and f"the rule gives {answer['outcome']!r}" in message and "interval" in message
    ok, message = ex.evaluate(answer | {"outcome": answer["outcome"].upper()})
    assert ok, message  # case does not matter
    behind = stacked_answer((0.30, 0.31, 0.32))
    ok, message = ex.evaluate(behind)
    assert ok and behind["outcome"] == "B better" and "slower to learn" in message


def test_05_3_other_test_reviews_and_missing_results_are_explained(stored_results):
    ex = EXERCISES["05.3"]
    ok, message = ex.evaluate(stacked_answer(reviews=300, outcome="not decided"))
    assert not ok and "300 test reviews" in message and "400" in message
    (stored_results / "fast" / "predictions" / "sentiment.npz").unlink()
    ok, message = ex.evaluate(stacked_answer(outcome="not decided"))
    assert not ok and "run lesson 04 first" in message and "fast mode" in message


# ---------------------------------------------------------------- lesson 06
def test_06_4_the_outcome_must_be_the_rules_for_the_stored_stateless_runs(stored_results):
    from utils.verdicts import compare

    ex = EXERCISES["06.4"]
    for losses in ([2.6, 2.65, 2.62], [3.06, 3.12, 3.14], [3.0, 3.9]):
        c = compare(losses, FAKE_STATELESS["gru"], names=("stateful", "stateless"), higher_is_better=False,
                    margin="nats_per_char")
        ok, message = ex.evaluate({"cell": "gru", "losses": losses, "outcome": c.outcome})
        assert ok and c.describe() in message, message
        wrong = "A better" if c.outcome != "A better" else "not decided"
        ok, message = ex.evaluate({"cell": "gru", "losses": losses, "outcome": wrong})
        assert not ok and f"the rule gives {c.outcome!r}" in message and "interval" in message
    assert compare([2.6, 2.65, 2.62], FAKE_STATELESS["gru"], higher_is_better=False).outcome == "A better"


def test_06_4_missing_cells_and_older_results_are_explained(stored_results):
    from utils import results

    ex = EXERCISES["06.4"]
    answer = {"cell": "simple_rnn", "losses": [2.6, 2.7], "outcome": "not decided"}
    ok, message = ex.evaluate(answer)
    assert not ok and "no runs of 'simple_rnn'" in message and "'gru', 'lstm'" in message
    results.save_results("text_generation", {"gru": {"test": {"loss_nats_per_char": 3.1}}})
    ok, message = ex.evaluate(answer | {"cell": "gru"})
    assert not ok and "no per-seed test losses" in message and "run lesson 06 again" in message
    (stored_results / "fast" / "text_generation.json").unlink()
    ok, message = ex.evaluate(answer | {"cell": "gru"})
    assert not ok and "run lesson 06 first" in message


# ---------------------------------------------------------------- lesson 08
def pooling_answer(pooled=(0.6, 0.61, 0.5875), last=(0.5325, 0.545, 0.5575), **changes):
    """An answer to 08.3 whose numbers are right for the given per-seed accuracies (outcomes drawn to match)."""
    from utils.verdicts import compare

    accuracies = {"lstm_average": list(pooled), "lstm_last_state": list(last)}
    rng = np.random.default_rng(5)  # each model right on its own reviews: the pairing counts
    outcomes = {key: np.stack([rng.permutation(np.arange(FAST_TEST_REVIEWS) < round(a * FAST_TEST_REVIEWS))
                               for a in seeds]).astype(int) for key, seeds in accuracies.items()}
    c = compare(accuracies["lstm_average"], accuracies["lstm_last_state"], names=("lstm_average", "lstm_last_state"),
                items=(outcomes["lstm_average"], outcomes["lstm_last_state"]), margin="accuracy")
    answer = {"accuracies": accuracies, "outcomes": outcomes, "gap": c.difference, "interval": (c.low, c.high),
              "outcome": c.outcome}
    return answer | changes, c


def test_08_3_accepts_the_rules_answer_for_any_run_rounded_or_not():
    ex = EXERCISES["08.3"]
    cases = (((0.6, 0.61, 0.5875), (0.5325, 0.545, 0.5575)), ((0.55, 0.5475, 0.5525), (0.5525, 0.55, 0.545)),
             ((0.5, 0.52, 0.54), (0.55, 0.57, 0.53)))
    for pooled, last in cases:
        answer, c = pooling_answer(pooled, last)
        ok, message = ex.evaluate(answer)
        assert ok and c.describe() in message, message
        rounded = answer | {"gap": round(c.difference, 3), "interval": (round(c.low, 3), round(c.high, 3)),
                            "outcome": c.outcome.upper()}
        assert ex.evaluate(rounded)[0], ex.evaluate(rounded)[1]  # three decimals, any case
    assert pooling_answer()[1].outcome == "A better"  # the cases above include a decided one ...
    assert pooling_answer((0.55, 0.5475, 0.5525), (0.5525, 0.55, 0.545))[1].outcome == "not decided"  # ... and not


def test_08_3_rejects_wrong_numbers_with_what_was_wrong():
    from utils.verdicts import compare

    ex = EXERCISES["08.3"]
    answer, c = pooling_answer()
    other = next(o for o in ("A better", "B better", "equivalent", "not decided") if o != c.outcome)
    ok, message = ex.evaluate(answer | {"outcome": other})
    assert not ok and f"the rule gives {c.outcome!r}" in message
    ok, message = ex.evaluate(answer | {"gap": -c.difference})
    assert not ok and "sign" in message
    seeds_only = compare(answer["accuracies"]["lstm_average"], answer["accuracies"]["lstm_last_state"],
                         margin="accuracy")
    ok, message = ex.evaluate(answer | {"interval": (seeds_only.low, seeds_only.high)})
    assert not ok and "seeds alone" in message and "items=" in message
    ok, message = ex.evaluate(answer | {"interval": (-c.high, -c.low)})
    assert not ok and "A is lstm_average" in message
    ok, message = ex.evaluate(answer | {"interval": (c.low + 0.003, c.high)})
    assert not ok and f"[{c.low:+.4f}, {c.high:+.4f}]" in message
    swapped = answer | {"outcomes": {"lstm_average": answer["outcomes"]["lstm_last_state"],
                                     "lstm_last_state": answer["outcomes"]["lstm_average"]}}
    ok, message = ex.evaluate(swapped)
    assert not ok and "averages to" in message


def test_08_3_one_seed_each_has_no_interval():
    ex = EXERCISES["08.3"]
    answer, c = pooling_answer((0.6,), (0.5325,))
    assert c.low is None and c.outcome == "not decided"
    assert ex.evaluate(answer)[0] and ex.evaluate(answer | {"interval": None})[0]
    ok, message = ex.evaluate(answer | {"interval": (0.01, 0.1)})
    assert not ok and "no interval" in message


def test_read_integers_reads_every_key_and_names_a_wrong_one():
    from utils.exercises.core import Wrong, read_integers

    assert read_integers({"a": 3, "b": 4.0}, ["a", "b"], '{"a": 1, "b": 2}') == {"a": 3, "b": 4}
    with pytest.raises(Wrong, match="no key 'b'"):
        read_integers({"a": 3}, ["a", "b"], '{"a": 1, "b": 2}')
    with pytest.raises(Wrong, match="b should be a whole number"):
        read_integers({"a": 3, "b": 4.5}, ["a", "b"], '{"a": 1, "b": 2}')
