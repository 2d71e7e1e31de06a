"""Exercise 06.3: how often samples at temperature 0.2 and 1.0 repeat 20-character windows."""
from utils import by_mode
from utils.chars import CharWriter, char_lookup, char_model, char_sequences, encode
from utils.datasets import load_shakespeare

# A character LSTM as in the lesson (utils.chars.char_model is lesson 06's model), trained briefly; in the
# notebook, use the lesson's trained model instead: CharWriter(runs[best_cell][0]["model"], to_ids).
train_text = load_shakespeare("train", limit_chars=by_mode(full=None, fast=100_000))
to_ids = char_lookup(load_shakespeare("train"))
STEPS, N_CHARS = by_mode(full=1300, fast=30), by_mode(full=1000, fast=300)
train_data = char_sequences(encode(to_ids, train_text), seq_len=100, batch_size=64, shuffle=True).repeat()

model = char_model("lstm", vocab_size=to_ids.vocabulary_size(), units=by_mode(full=256, fast=32),
                   learning_rate=2e-3)
model.fit(train_data, steps_per_epoch=STEPS, epochs=1, shuffle=False, verbose=0)  # the dataset shuffles itself
writer = CharWriter(model, to_ids)  # carries the state from one character to the next


def repeated_share(text, n=20):
    """Share of the n-character windows of `text` that already appeared earlier in it."""
    seen, repeats = set(), 0
    for i in range(len(text) - n + 1):
        repeats += text[i:i + n] in seen
        seen.add(text[i:i + n])
    return repeats / max(len(text) - n + 1, 1)


shares = {}
for temperature in (0.2, 1.0):
    sample = writer.write("HAMLET.\nTo be, or not to be", N_CHARS, temperature=temperature, seed=1)
    sample = sample[len("HAMLET.\nTo be, or not to be"):]  # the generated part only
    shares[str(temperature)] = repeated_share(sample)
    print(f"temperature {temperature}: {shares[str(temperature)]:.1%} of the 20-character windows repeat\n"
          f"{sample[:200]}\n")

answer = {**shares, "why": "a"}  # near-greedy sampling follows the same path whenever a context recurs
