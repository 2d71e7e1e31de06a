"""utils.chars.CharWriter (generation with a carried state) and utils.units.units_against_untrained."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def tiny():
    import keras

    from utils.chars import char_lookup, char_model

    keras.utils.set_random_seed(0)
    to_ids = char_lookup("To be, or not to be: that is the question.\nHAMLET.\n")
    return {cell: char_model(cell, vocab_size=to_ids.vocabulary_size(), units=8, learning_rate=0.01)
            for cell in ("gru", "lstm")}, to_ids


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_the_carried_state_predicts_what_a_full_pass_does(tiny, cell):
    from utils.chars import CharWriter, encode

    models, to_ids = tiny
    writer = CharWriter(models[cell], to_ids)
    prefix = encode(to_ids, "To be, or not")[None]
    logits, states = writer.step(prefix[:, :3], writer.zero_states())
    for i in range(3, prefix.shape[1]):
        logits, states = writer.step(prefix[:, i:i + 1], states)
    full = np.asarray(models[cell](prefix))[0, -1]
    np.testing.assert_allclose(np.asarray(logits)[0], full, atol=1e-5)
    text = writer.write("To be", 12, temperature=0.7, seed=3)
    assert text.startswith("To be") and len(text) == 5 + 12
    assert text == writer.write("To be", 12, temperature=0.7, seed=3)  # the same seed writes the same text


def test_bad_writer_inputs_are_refused(tiny):
    from utils.chars import CharWriter

    models, to_ids = tiny
    with pytest.raises(TypeError):
        CharWriter("model", to_ids)
    with pytest.raises(TypeError):
        CharWriter(models["gru"], "to_ids")
    writer = CharWriter(models["gru"], to_ids)
    with pytest.raises(TypeError):
        writer.write("", 5)
    with pytest.raises(ValueError):
        writer.write("To", 0)


def test_units_are_shown_next_to_the_same_network_untrained(tiny):
    import keras

    from utils.chars import encode
    from utils.units import JUST_READ, units_against_untrained

    models, to_ids = tiny
    text = "HAMLET.\nTo be, or not to be: that is the question.\n" * 3
    model = models["gru"]
    before = [w.copy() for w in model.get_weights()]
    table = units_against_untrained(model, encode(to_ids, text), text, threshold=0.5)
    assert all((a == b).all() for a, b in zip(before, model.get_weights()))  # the trained model is untouched
    twin = keras.models.clone_model(model)
    assert any((a != b).any() for a, b in zip(twin.get_weights(), model.get_weights()))  # a fresh draw
    assert set(table["kind"]) == {"character just read", "needs memory"}
    assert all(table.loc[f, "kind"] == "character just read" for f in JUST_READ if f in table.index)
    assert {"trained: best |r|", "untrained: best |r|", "trained: units >= 0.5"} <= set(table.columns)
    assert ((table["trained: best |r|"] >= 0) & (table["trained: best |r|"] <= 1)).all()
