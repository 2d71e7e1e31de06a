import pytest

from utils.runmode import ENV_VAR, by_mode, is_fast, run_mode


def test_full_is_the_default(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert run_mode() == "full"
    assert not is_fast()
    assert by_mode(full=8, fast=1) == 8


@pytest.mark.parametrize("value", ["fast", "FAST", " fast "])
def test_fast_mode(monkeypatch, value):
    monkeypatch.setenv(ENV_VAR, value)
    assert run_mode() == "fast"
    assert by_mode(full=8, fast=1) == 1


def test_unknown_mode_names_the_variable(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "quick")
    with pytest.raises(ValueError, match=ENV_VAR):
        run_mode()
