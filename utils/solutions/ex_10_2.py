"""Exercise 10.2: the scored positions of a⁵b⁵, and why the a's are not scored."""
from utils.counting import anbn_batch

batch = anbn_batch([5])
print(batch.show())

answer = {"scored": int(batch.mask.sum()), "why": "a"}
