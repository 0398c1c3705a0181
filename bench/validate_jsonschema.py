#!/usr/bin/env python3
"""Peer for bench/validate.sh: Python jsonschema's Draft202012Validator with soc-validate's
bundled SOC chat schema (rules/soc-chat.schema.json and the persona schema it refers to),
one process, every line parsed with json.loads and checked with is_valid.

  python3 bench/validate_jsonschema.py rules bench/data/soc_realistic.jsonl

Prints `valid invalid seconds cpu_seconds` for the validation loop (reading included).
It checks only what the schema says: soc-validate also runs its chat checks in the same pass.
"""
import json
import os
import sys
import time

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

BASE = "https://soc-tools.invalid/rules/"


def main():
    rules, data = sys.argv[1], sys.argv[2]
    with open(os.path.join(rules, "soc-chat.schema.json")) as f:
        chat = json.load(f)
    with open(os.path.join(rules, "spb-persona.schema.json")) as f:
        persona = json.load(f)
    chat = dict(chat, **{"$id": BASE + "soc-chat.schema.json"})
    registry = Registry().with_resource(BASE + "spb-persona.schema.json", Resource.from_contents(persona))
    validator = Draft202012Validator(chat, registry=registry)
    valid = invalid = 0
    start = time.perf_counter()
    cpu = time.process_time()
    with open(data, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                invalid += 1
                continue
            if validator.is_valid(record):
                valid += 1
            else:
                invalid += 1
    print(valid, invalid, f"{time.perf_counter() - start:.3f}", f"{time.process_time() - cpu:.3f}")


if __name__ == "__main__":
    main()
