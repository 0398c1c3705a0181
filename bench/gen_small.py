#!/usr/bin/env python3
"""Deterministic small flat records for dedup's memory measurement: N lines of
{"id": n, "text": "<24 words>"} with words drawn from a 20 000-word made-up vocabulary, so
that nearly every record is distinct and stays in the index.

  python3 bench/gen_small.py 1000000 > bench/data/small_1m.jsonl
"""
import random
import sys

n = int(sys.argv[1])
rng = random.Random(1)
letters = "abcdefghijklmnopqrstuvwxyz"
vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(20000)]
out = sys.stdout
for i in range(n):
    out.write('{"id":%d,"text":"%s"}\n' % (i, " ".join(rng.choices(vocab, k=24))))
