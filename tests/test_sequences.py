import numpy as np
import pytest

from utils.datasets import load_sp500, split_by_date
from utils.sequences import adding_problem, dataset_to_arrays, make_windows, recall_task, scale_with_train


def test_windows_shapes_and_targets():
    series = np.arange(20, dtype="float32")
    x, y = dataset_to_arrays(make_windows(series, window=5, batch_size=4))
    assert x.shape == (15, 5, 1) and y.shape == (15,)
    # first window is 0..4 and its next value is 5; last window is 14..18 -> 19
    np.testing.assert_array_equal(x[0, :, 0], [0, 1, 2, 3, 4])
    assert y[0] == 5 and y[-1] == 19
    assert (y == x[:, -1, 0] + 1).all()


def test_windows_horizon_and_features():
    series = np.stack([np.arange(30), 100 + np.arange(30)], axis=1).astype("float32")
    x, y = dataset_to_arrays(make_windows(series, window=4, horizon=3, target_column=1))
    assert x.shape == (30 - 4 - 3 + 1, 4, 2)
    assert (y == x[:, -1, 1] + 3).all()


def test_windows_stay_inside_the_series():
    """Windowing each split separately: no window reaches past the series it was built from."""
    series = np.arange(10, dtype="float32")
    x, y = dataset_to_arrays(make_windows(series, window=3))
    assert x.max() <= 8 and y.max() == 9 and len(x) == 7


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"window": 0}, "window"),
        ({"window": 3, "horizon": 0}, "horizon"),
        ({"window": 10}, "longer than the series"),
        ({"window": 3, "batch_size": -1}, "batch_size"),
        ({"window": 3, "target_column": 2}, "target_column"),
    ],
)
def test_windows_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_windows(np.arange(10, dtype="float32"), **kwargs)


def test_windows_refuse_nan_and_wrong_rank():
    with pytest.raises(ValueError, match="NaN"):
        make_windows(np.array([1.0, np.nan, 2.0, 3.0]), window=2)
    with pytest.raises(ValueError, match="series"):
        make_windows(np.zeros((3, 3, 3)), window=2)


def test_adding_problem():
    x, y = adding_problem(500, 50, seed=1)
    assert x.shape == (500, 50, 2) and y.shape == (500,)
    assert (x[:, :, 1].sum(axis=1) == 2).all()
    assert (x[:, :25, 1].sum(axis=1) == 1).all()
    np.testing.assert_allclose(y, (x[:, :, 0] * x[:, :, 1]).sum(axis=1), rtol=1e-6)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.03)
    np.testing.assert_array_equal(adding_problem(5, 10, seed=3)[0], adding_problem(5, 10, seed=3)[0])
    with pytest.raises(ValueError, match="length"):
        adding_problem(5, 1)
    with pytest.raises(ValueError, match="n_samples"):
        adding_problem(0, 10)


def test_recall_task():
    x, y = recall_task(1000, lag=20, vocab_size=4, seed=0)
    assert x.shape == (1000, 21) and y.shape == (1000,)
    assert (y == x[:, 0]).all()
    assert set(np.unique(x)) == {0, 1, 2, 3}
    np.testing.assert_array_equal(recall_task(3, 5, seed=9)[0], recall_task(3, 5, seed=9)[0])
    with pytest.raises(ValueError, match="lag"):
        recall_task(10, lag=0)
    with pytest.raises(ValueError, match="vocab_size"):
        recall_task(10, lag=5, vocab_size=1)


def test_multi_step_targets():
    series = np.arange(20, dtype="float32")
    x, y = dataset_to_arrays(make_windows(series, window=4, n_ahead=3))
    assert x.shape == (20 - 4 - 3 + 1, 4, 1) and y.shape == (14, 3)
    np.testing.assert_array_equal(y[0], [4, 5, 6])
    np.testing.assert_array_equal(y[:, 0], x[:, -1, 0] + 1)
    assert y.max() == 19
    with pytest.raises(ValueError, match="n_ahead"):
        make_windows(series, window=4, n_ahead=0)
    with pytest.raises(ValueError, match="longer than the series"):
        make_windows(series, window=15, n_ahead=6)


def test_scaler_sees_only_the_training_period():
    """No leakage: the scaler's statistics are those of the training prices alone, and the test
    period's windows are built from test days only."""
    train, validation, test = split_by_date(load_sp500()[["Close"]])
    scaler, s_train, s_val, s_test = scale_with_train(train["Close"], validation["Close"], test["Close"])
    assert scaler.mean_[0] == pytest.approx(train["Close"].mean())
    assert scaler.scale_[0] == pytest.approx(train["Close"].std(ddof=0))
    assert abs(float(s_train.mean())) < 1e-4 and s_test.shape == (len(test),)
    assert s_test.min() > 1  # the test period lies above the training range: unseen by the scaler
    x, y = dataset_to_arrays(make_windows(s_test, window=20, batch_size=128))
    test_values = set(np.round(s_test, 4).tolist())
    assert set(np.round(x.ravel(), 4).tolist()) <= test_values
    assert set(np.round(y, 4).tolist()) <= test_values
    assert len(x) == len(test) - 20


def test_scale_with_train_bad_input():
    with pytest.raises(ValueError, match="NaN"):
        scale_with_train(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="non-empty"):
        scale_with_train(np.array([1.0, 2.0]), np.array([]))


def test_review_encoder():
    from utils.text import ReviewEncoder

    encoder = ReviewEncoder(["a good film", "a bad film", "good good"], vocab_size=10, max_len=4)
    assert encoder.vocabulary[:2] == ["", "[UNK]"]
    out = encoder(["a good film", "unknown words here and more"])
    assert out.shape == (2, 4) and out.dtype == np.int32
    assert out[0, -1] == 0  # post-padded
    assert (out[1] == 1).all()  # unknown words, last four kept
    assert encoder.ids("good") == [encoder.vocabulary.index("good")]
    with pytest.raises(ValueError, match="max_len"):
        ReviewEncoder(["x"], max_len=0)
    with pytest.raises(ValueError, match="padding"):
        ReviewEncoder(["x"], padding="middle")
    with pytest.raises(ValueError, match="empty"):
        ReviewEncoder([])


def test_recall_task_with_several_tokens():
    x, y = recall_task(5, lag=7, vocab_size=8, seed=3, n_tokens=4)
    assert x.shape == (5, 11) and y.shape == (5, 4)
    assert (y == x[:, :4]).all()
    one_x, one_y = recall_task(5, lag=7, vocab_size=8, seed=3)
    assert one_x.shape == (5, 8) and one_y.shape == (5,)
    with pytest.raises(ValueError, match="n_tokens"):
        recall_task(5, lag=7, n_tokens=0)
