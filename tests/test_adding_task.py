"""utils.adding_task: lesson 01's clipping experiment on the adding problem."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from utils.adding_task import train_adding  # noqa: E402
from utils.sequences import adding_problem  # noqa: E402

X, Y = adding_problem(4 * 8, length=6, seed=0)
TINY = {"steps": 4, "batch_size": 8, "units": 4}


def test_returns_a_loss_and_a_gradient_norm_per_step():
    losses, grad_norms = train_adding(X, Y, **TINY)
    assert losses.shape == grad_norms.shape == (4,)
    assert np.isfinite(losses).all() and (grad_norms > 0).all()


def test_same_start_whatever_the_clipping():
    plain, plain_norms = train_adding(X, Y, **TINY)
    again, _ = train_adding(X, Y, **TINY)
    clipped, clipped_norms = train_adding(X, Y, clipnorm=1e-3, **TINY)
    capped, _ = train_adding(X, Y, clipvalue=1e-4, **TINY)
    np.testing.assert_array_equal(plain, again)  # the same weights (seed 1) and batches every time
    assert plain[0] == clipped[0] == capped[0] and plain_norms[0] == clipped_norms[0]  # before any update
    assert not np.allclose(plain[1:], clipped[1:]) and not np.allclose(plain[1:], capped[1:])


def test_a_diverging_run_shows_non_finite_losses():
    losses, _ = train_adding(X, Y, learning_rate=1e6, **TINY)
    assert not np.isfinite(losses[-1])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x": X[..., :1]}, "x must"),
        ({"y": Y[:-1]}, "y must"),
        ({"steps": 5}, "steps \\* batch_size"),
        ({"steps": 0}, "steps"),
        ({"batch_size": -8}, "batch_size"),
        ({"clipnorm": 0.0}, "clipnorm"),
        ({"clipvalue": float("nan")}, "clipvalue"),
        ({"clipnorm": 1.0, "clipvalue": 0.5}, "not both"),
        ({"seed": -1}, "seed"),
        ({"momentum": 1.0}, "momentum"),
    ],
)
def test_bad_input_names_the_argument(kwargs, match):
    arguments = {"x": X, "y": Y, **TINY, **kwargs}
    with pytest.raises(ValueError, match=match):
        train_adding(**arguments)
