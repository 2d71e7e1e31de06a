"""Exercise 01.2: the adding problem with clipvalue=0.5 instead of clipnorm=1.0."""
import numpy as np

from utils import by_mode
from utils.adding_task import clipping_summary, train_adding
from utils.sequences import adding_problem

TRAIN_STEPS = by_mode(full=3000, fast=100)
BATCH = 64
x_add, y_add = adding_problem(TRAIN_STEPS * BATCH, length=50, seed=0)
baseline_mse = float(np.var(y_add))  # the error of always predicting the mean target, about 0.167

run = train_adding(x_add, y_add, TRAIN_STEPS, BATCH, clipvalue=0.5)  # the lesson's model, weights, batches
summary = clipping_summary(*run)  # as the lesson reads its runs
finite = summary["first_non_finite_step"] is None
final_mse = summary["final_mse"]
print(f"clipvalue=0.5: finite {finite}, mean MSE of the last 100 steps {final_mse}, best constant {baseline_mse:.3f}")

answer = {
    "stays_finite": finite,
    "final_mse": final_mse,
    "learned": final_mse is not None and final_mse < baseline_mse / 2,
    "difference": "a",  # clipnorm rescales each weight's gradient (its direction kept); clipvalue caps each element
}
