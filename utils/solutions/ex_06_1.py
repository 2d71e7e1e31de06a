"""Exercise 06.1: 1.5 nats per character in bits per character and as a per-character perplexity."""
import math

nats = 1.5
bits = nats / math.log(2)  # one bit is ln 2 nats
perplexity = math.exp(nats)  # = 2 ** bits
print(f"{nats} nats/char = {bits:.3f} bits/char, per-character perplexity {perplexity:.2f}")

answer = {"bits_per_char": bits, "perplexity_per_char": perplexity}
