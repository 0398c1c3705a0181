#!/usr/bin/env python3
"""Recall and precision of removed line numbers against planted near-duplicate pairs.

  python3 bench/dedup_eval.py PAIRS.tsv REMOVED_LINES   -> prints "recall precision removed"
PAIRS.tsv is gen_soc.py --pairs-out (dup_line<TAB>original_line); REMOVED_LINES has one line
number per line, or is a soc-dedup --clusters JSONL file (its "line" fields are used).
"""
import json
import sys

planted = {int(line.split("\t")[0]) for line in open(sys.argv[1]) if line.strip()}
removed = set()
for line in open(sys.argv[2]):
    line = line.strip()
    if not line:
        continue
    removed.add(json.loads(line)["line"] if line.startswith("{") else int(line))
hits = len(planted & removed)
recall = hits / len(planted) if planted else 1.0
precision = hits / len(removed) if removed else 1.0
print(f"{recall:.3f} {precision:.3f} {len(removed)}")
