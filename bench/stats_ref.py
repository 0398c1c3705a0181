#!/usr/bin/env python3
"""Reference implementation of soc-stats' core figures in Python, used by bench/stats.sh both as
a speed peer and as an independent check of the numbers.

  python3 bench/stats_ref.py [--orjson] FILE   ->  JSON with records, messages, turns (max, sum),
                                                 words and characters (sum), tag occurrences

Same definitions as soc-stats: words are runs of non-blank characters (ASCII blanks), characters
are code points, a tag is `<name` + optional attributes + `>` with a known name (so `<3`,
`a < b`, `<https://...>` are text).
"""
import json
import re
import sys

TAG = re.compile(r"<([A-Za-z][A-Za-z0-9_-]*)(?=[>/\s])[^<>]*>")
KNOWN = {"image", "gif", "audio", "video", "delay", "end"}
BLANKS = re.compile(r"[ \t\n\v\f\r]+")


def main():
    args = sys.argv[1:]
    loads = json.loads
    if args and args[0] == "--orjson":
        import orjson

        def loads(line):
            try:
                return orjson.loads(line)
            except orjson.JSONDecodeError:
                # orjson refuses lone surrogate escapes (`\ud83d`), which the realistic profile has.
                return json.loads(line)

        args = args[1:]
    records = messages = turns_max = turns_sum = words = chars = 0
    tags = {name: 0 for name in sorted(KNOWN | {"unknown"})}
    with open(args[0], "rb") as f:
        for line in f:
            if not line.strip():
                continue
            chat = loads(line)
            records += 1
            parts = chat["chat_parts"]
            turns_max = max(turns_max, len(parts))
            turns_sum += len(parts)
            for part in parts:
                for m in part["messages"]:
                    messages += 1
                    chars += len(m)
                    words += len([w for w in BLANKS.split(m) if w])
                    if "<" in m:
                        for name in TAG.findall(m):
                            name = name.lower()
                            tags[name if name in KNOWN else "unknown"] += 1
    json.dump({"records": records, "messages": messages, "turns_max": turns_max, "turns_sum": turns_sum,
               "words": words, "chars": chars, "tags": tags}, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
