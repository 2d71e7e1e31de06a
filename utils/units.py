"""What do a recurrent model's hidden units track? Correlate them with features of the text a reader can name.

    features = text_features(passage)                     # {"inside brackets": [0, 0, 1, …], …}
    corr = unit_correlations(states, features)            # states: [characters, units], one row per character
    best_units(corr, threshold=0.5)                       # per feature: the unit that tracks it best
    tracking_summary(corr, threshold=0.5)                 # how many units track any feature at all

Row ``i`` of ``states`` is the state *after reading character i*, and every feature is defined the same
way: ``feature[i]`` describes the reader's position once character ``i`` has been read.
"""

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from utils.checks import ArgumentTypeError, describe, is_real, numeric_array

VOWELS = frozenset("aeiouAEIOU")
OPENING, CLOSING = "[({", "])}"  # a few stage directions open with "{" and close with "]"
# a speaker heading: the name in capitals ending with a full stop ("LEONATO.", "MRS. PAGE."), alone on its
# line or followed by a bracketed direction ("PERICLES. [Aside.]")
HEADING = re.compile(r"([A-Z][A-Z0-9 '&,.\-]*[A-Z]\.)\s*(?:[\[{].*)?")


def text_features(text) -> dict:
    """Features of Shakespeare play text, one float per character: ``{name: array of len(text)}``.

    Each value describes the state after reading that character:

    - ``"inside brackets"``: 1 from an opening ``[``, ``(`` or ``{`` up to (not including) its closing
      bracket. Stage directions are in square brackets (``[Exit.]``) and may run over several lines;
      parentheses are rare asides. A blank line ends any bracket left open, so a typo cannot leak.
    - ``"inside quotes"``: 1 from an opening ``"`` up to (not including) the closing one; a blank line ends
      it too. Double quotes are rare in these plays (about one character in 10,000, around quoted words),
      and ``'`` is an apostrophe (``'tis``, ``o'er``), not a quote: expect few or no units for this one.
    - ``"position in line"``: characters read since the last newline (0 right after the newline).
    - ``"position in word"``: letters read since the last non-letter (0 after a space, a punctuation mark or an
      apostrophe).
    - ``"in a speaker's name"``: 1 on the characters of a speaker heading, the name in capitals with its full
      stop on a line of its own (``LEONATO.``, ``MRS. PAGE.``), not on ``ACT I.`` or ``SCENE II.`` lines.
    - ``"after a space"``, ``"vowel"``, ``"capital letter"``: 1 if the character just read is a space, one of
      ``aeiouAEIOU``, an upper-case letter.
    """
    if not isinstance(text, str) or not text:
        raise ArgumentTypeError(f"text must be a non-empty string, got {describe(text)}")
    return {
        "inside brackets": _inside(text, OPENING, CLOSING),
        "inside quotes": _inside(text, '"', '"'),
        "position in line": _run_length(text, lambda ch: ch != "\n"),
        "position in word": _run_length(text, str.isalpha),
        "in a speaker's name": _speaker_names(text),
        "after a space": _flags(text, lambda ch: ch == " "),
        "vowel": _flags(text, lambda ch: ch in VOWELS),
        "capital letter": _flags(text, str.isupper),
    }


# Features of the character just read (input identity) and features that need a memory of earlier characters.
JUST_READ = ("after a space", "vowel", "capital letter")


def units_against_untrained(model, ids, text, *, layer=2, threshold=0.5, seed=0) -> pd.DataFrame:
    """How well units of ``model``'s recurrent layer track each :func:`text_features` feature over ``text`` (its
    ids ``ids``), next to the same network untrained (``keras.models.clone_model``: same shape, fresh weights
    from ``seed``). One row per feature: its kind ("character just read" or "needs memory"), and for the trained
    and the untrained network the best ``|r|`` and how many units reach ``|r| >= threshold``. An untrained
    network's state already reflects the last few characters, so only a feature the trained network tracks
    clearly better than the untrained one was learned; a feature of the character just read is input identity,
    not memory. Features constant over ``text`` are left out."""
    import keras

    threshold = _threshold(threshold)
    features = {k: v for k, v in text_features(text).items() if np.ptp(v) > 0}
    keras.utils.set_random_seed(seed)
    networks = {"trained": model, "untrained": keras.models.clone_model(model)}
    rows = {}
    for name, network in networks.items():
        states_of = keras.Model(network.inputs[0], network.layers[layer].output)
        states = keras.ops.convert_to_numpy(states_of(np.asarray(ids)[None]))[0]
        corr = unit_correlations(states, features).abs()
        rows[f"{name}: best |r|"] = corr.max()
        rows[f"{name}: units >= {threshold:g}"] = (corr >= threshold).sum()
    table = pd.DataFrame(rows)
    table.insert(0, "kind", ["character just read" if f in JUST_READ else "needs memory" for f in table.index])
    return table.rename_axis("feature").sort_values(["kind", "trained: best |r|"], ascending=[False, False])


def unit_correlations(states, features) -> pd.DataFrame:
    """Pearson correlation of every unit with every feature: a DataFrame [units × features].

    ``states`` is ``[characters, units]`` (the states of one passage, row ``i`` after character ``i``);
    ``features`` maps names to arrays of one value per character (:func:`text_features`). A unit or a
    feature that never changes over the passage has no defined correlation; it is reported as 0 (it tracks
    nothing here), so the rows stay aligned with the unit numbers.
    """
    states = numeric_array(states, "states")
    if states.ndim != 2:
        hint = "; for a batch of one passage pass states[0]" if states.ndim == 3 else ""
        raise ValueError(f"states must be 2-D [characters, units], got shape {states.shape}{hint}")
    if states.shape[0] < 2 or states.shape[1] < 1:
        raise ValueError(f"states must hold at least two characters and one unit ([characters, units]) for a "
                         f"correlation, got shape {states.shape}")
    columns = _feature_matrix(features, len(states))
    z_states, z_features = _standardise(states), _standardise(columns.to_numpy())
    corr = np.clip(z_states.T @ z_features / len(states), -1.0, 1.0)
    return pd.DataFrame(corr, index=pd.RangeIndex(states.shape[1], name="unit"), columns=columns.columns)


def best_units(corr, threshold=0.5) -> pd.DataFrame:
    """Per feature: the unit with the largest ``|r|``, its ``r``, and how many units reach ``|r| >= threshold``."""
    corr, threshold = _correlations(corr), _threshold(threshold)
    magnitude = corr.abs()
    best = magnitude.idxmax()
    return pd.DataFrame({
        "unit": best,
        "r": [corr.at[unit, feature] for feature, unit in best.items()],
        f"units with |r| >= {threshold:g}": (magnitude >= threshold).sum(),
    }).rename_axis("feature")


def tracking_summary(corr, threshold=0.5) -> dict:
    """How many units track at least one feature (``|r| >= threshold`` with any of them), out of all units."""
    corr, threshold = _correlations(corr), _threshold(threshold)
    tracking = int((corr.abs() >= threshold).any(axis=1).sum())
    return {"threshold": threshold, "units": len(corr), "units tracking a feature": tracking,
            "share": tracking / len(corr)}


def _inside(text, opening, closing):
    """1 while inside an opening … closing pair (nesting counted), reset at a blank line."""
    values, depth, previous = np.zeros(len(text)), 0, ""
    toggles = opening == closing
    for i, ch in enumerate(text):
        if ch == "\n" and previous == "\n":
            depth = 0
        elif toggles and ch == opening:
            depth = 1 - depth
        elif ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(depth - 1, 0)
        values[i], previous = depth > 0, ch
    return values


def _run_length(text, continues):
    """How many characters in a row, up to and including this one, satisfy ``continues``."""
    values, run = np.zeros(len(text)), 0
    for i, ch in enumerate(text):
        run = run + 1 if continues(ch) else 0
        values[i] = run
    return values


def _flags(text, test):
    return np.array([test(ch) for ch in text], dtype="float64")


def _speaker_names(text):
    values, start = np.zeros(len(text)), 0
    for line in text.split("\n"):
        match = HEADING.fullmatch(line)
        if match and not line.startswith(("ACT ", "SCENE ")):
            values[start:start + len(match.group(1))] = 1.0
        start += len(line) + 1
    return values


def _feature_matrix(features, length):
    if not isinstance(features, Mapping) or not features:
        raise ArgumentTypeError(f"features must be a non-empty dict {{name: values}}, as text_features returns, "
                                f"got {describe(features)}")
    columns = {}
    for name, values in features.items():
        values = numeric_array(values, f"features[{name!r}]")
        if values.shape != (length,):
            raise ValueError(f"features[{name!r}] has shape {values.shape} but states has {length} rows; "
                             "give one value per character of the passage the states were read from")
        columns[name] = values
    return pd.DataFrame(columns)


def _standardise(matrix):
    """Columns with mean 0 and (population) standard deviation 1; a constant column becomes all 0."""
    centred = matrix - matrix.mean(axis=0)
    spread = centred.std(axis=0)
    return np.divide(centred, spread, out=np.zeros_like(centred), where=spread > 1e-12 * (1 + np.abs(matrix).max()))


def _correlations(corr):
    if not isinstance(corr, pd.DataFrame) or corr.empty:
        raise ArgumentTypeError(f"corr must be the DataFrame unit_correlations returns, got {describe(corr)}")
    numeric_array(corr, "corr")
    return corr


def _threshold(threshold):
    if not is_real(threshold) or not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a correlation size in (0, 1], e.g. 0.5, got {describe(threshold)}")
    return float(threshold)
