#!/usr/bin/env python3
"""Reference near-duplicate removal with a Python MinHash library, for bench/dedup.sh.

Same job and same definitions as soc-dedup (docs/dedup.md): text = a chat's message strings in
order (or the strings at --text KEY for flat records); tokens = maximal runs of Unicode letters
and digits inside one string, lowercased; shingles = 5 consecutive tokens joined by a space (a
shorter text is one shingle); exact-text duplicates by the normalized text; near duplicates by
MinHash LSH with 128 permutations at threshold 0.8, every candidate verified by the library's
Jaccard estimate; the first occurrence is kept and only kept records are indexed.

  python3 bench/dedup_peers.py --impl rensa|datasketch FILE [--removed-lines OUT] > kept.jsonl
"""
import argparse
import json
import re
import sys

TOKEN = re.compile(r"[^\W_]+")


def shingles_of(strings, ngram):
    tokens = [t.lower() for s in strings for t in TOKEN.findall(s)]
    if not tokens:
        return tokens, []
    if len(tokens) < ngram:
        return tokens, [" ".join(tokens)]
    return tokens, list({" ".join(tokens[i:i + ngram]) for i in range(len(tokens) - ngram + 1)})


def texts(record, key):
    if key:
        value = record.get(key)
        return [value] if isinstance(value, str) else []
    return [m for part in record.get("chat_parts", []) for m in part.get("messages", []) if isinstance(m, str)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", choices=["rensa", "datasketch"], required=True)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--ngram", type=int, default=5)
    ap.add_argument("--bands", type=int, default=14, help="LSH bands (rows = num_perm // bands); soc-dedup's choice at 0.8")
    ap.add_argument("--text", help="key of the text in flat records (default: chat messages)")
    ap.add_argument("--removed-lines")
    ap.add_argument("file")
    args = ap.parse_args()
    rows = args.num_perm // args.bands

    if args.impl == "rensa":
        from rensa import RMinHash, RMinHashLSH
        # rensa needs bands dividing num_perm: the nearest such count at or above --bands.
        bands = next(b for b in range(args.bands, args.num_perm + 1) if args.num_perm % b == 0)
        lsh = RMinHashLSH(threshold=args.threshold, num_perm=args.num_perm, num_bands=bands)

        def sign(shingles):
            m = RMinHash(num_perm=args.num_perm, seed=42)
            m.update(shingles)
            return m
    else:
        from datasketch import MinHash, MinHashLSH
        lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm, params=(args.bands, rows))

        def sign(shingles):
            m = MinHash(num_perm=args.num_perm)
            m.update_batch([s.encode("utf-8") for s in shingles])
            return m

    out = sys.stdout.buffer
    removed = []
    exact = {}
    kept = {}
    for number, line in enumerate(open(args.file, "rb"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        tokens, shingles = shingles_of(texts(record, args.text), args.ngram)
        if tokens:
            normalized = " ".join(tokens)
            if normalized in exact:
                removed.append(number)
                continue
            m = sign(shingles)
            if any(kept[k].jaccard(m) >= args.threshold for k in lsh.query(m)):
                removed.append(number)
                continue
            exact[normalized] = number
            lsh.insert(number, m)
            kept[number] = m
        out.write(line)
    if args.removed_lines:
        with open(args.removed_lines, "w") as f:
            f.write("".join(f"{n}\n" for n in removed))


if __name__ == "__main__":
    main()
