import pytest

from utils.tuning import equal_grid_search


def test_every_cell_gets_the_same_trials_and_its_own_best():
    seen = []

    def evaluate(cell, units, learning_rate):
        seen.append((cell, units, learning_rate))
        return abs(units - {"a": 64, "b": 128}[cell]) + learning_rate

    search = equal_grid_search(["a", "b"], {"units": [64, 128], "learning_rate": [0.1, 0.2]}, evaluate)
    assert search["trials_per_cell"] == 4 and len(search["trials"]) == 8
    assert sorted(s[1:] for s in seen if s[0] == "a") == sorted(s[1:] for s in seen if s[0] == "b")
    assert search["best"] == {"a": {"learning_rate": 0.1, "units": 64}, "b": {"learning_rate": 0.1, "units": 128}}


def test_higher_is_better():
    search = equal_grid_search(["a"], {"x": [1, 2, 3]}, lambda cell, x: x, higher_is_better=True)
    assert search["best"]["a"] == {"x": 3}


@pytest.mark.parametrize("cells, grid, evaluate", [("abc", {"x": [1]}, print), ([], {"x": [1]}, print),
                                                    (["a"], {"x": []}, print), (["a"], {"x": [1]}, "f")])
def test_bad_arguments_are_refused(cells, grid, evaluate):
    with pytest.raises(TypeError):
        equal_grid_search(cells, grid, evaluate)
