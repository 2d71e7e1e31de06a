"""Exercise 10.3: the bytes of a key/value cache after 1,000 tokens, against a GRU's state."""
import keras
import numpy as np

from utils.transformer import KVCacheDecoder, causal_char_lm

keras.utils.set_random_seed(0)
model = causal_char_lm(84, d_model=128, heads=4, layers=2, max_len=1001)  # section 2's shape; weights do not matter
decoder = KVCacheDecoder(model)
_, cache = decoder.prefill(np.random.default_rng(0).integers(1, 84, size=1000))  # 1,000 tokens
cache_bytes = decoder.state_bytes(cache)
gru_bytes = 256 * 4  # a 256-unit GRU's state in float32, at any context
per_token = cache_bytes // 1000
tokens = next(t for t in range(1, 10_000) if t * per_token > gru_bytes)
print(f"cache after 1,000 tokens: {cache_bytes:,} bytes ({per_token:,} per token); GRU state: {gru_bytes:,} bytes")

answer = {"cache_bytes": cache_bytes, "tokens_to_exceed_gru": tokens}
