#!/usr/bin/env python3
"""Lists the scrub artifacts bench/gen_soc.py planted, by replaying it with the same arguments.

  python3 bench/planted_flaws.py --chats 50 --flaws --seed 2508 examples/raw.jsonl

prints `line<TAB>part<TAB>message<TAB>kind` for each chat plant_flaws changed (kind is label,
inline, glued_image, glued_audio or lookalike), the line being where the chat appears first in
the given file. Used to make the fixture that soc-scrub's end-to-end test checks its audit against.
"""
import copy
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_soc  # noqa: E402

planted = []
original = gen_soc.plant_flaws


def recording(rng, c, p1, p2):
    before = copy.deepcopy(c["chat_parts"])
    kind = original(rng, c, p1, p2)
    for i, (a, b) in enumerate(zip(before, c["chat_parts"])):
        for j, (x, y) in enumerate(zip(a["messages"], b["messages"])):
            if x != y:
                planted.append((c["chat_id"], i, j, kind))
    return kind


def main():
    path = sys.argv[-1]
    sys.argv = [sys.argv[0]] + sys.argv[1:-1]
    gen_soc.plant_flaws = recording
    stdout = sys.stdout
    sys.stdout = io.StringIO()
    try:
        gen_soc.main()
    finally:
        sys.stdout = stdout
    first_line = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                first_line.setdefault(json.loads(line)["chat_id"], n)
            except (ValueError, KeyError):
                pass
    for chat_id, part, message, kind in planted:
        print(f"{first_line[chat_id]}\t{part}\t{message}\t{kind}")


if __name__ == "__main__":
    main()
