#!/usr/bin/env python3
r"""Deterministic generator of SOC-shaped chat JSONL (and the SPB personas they use).

Used for `examples/raw.jsonl` (small, with planted flaws) and for the benchmarks (~100 MB).
Same arguments, same bytes, on any machine: it uses its own word lists and a seeded RNG.

  python3 bench/gen_soc.py --megabytes 100 --seed 1 > bench/data/soc.jsonl
  python3 bench/gen_soc.py --chats 50 --flaws --personas-out examples/personas.jsonl > examples/raw.jsonl

Planted flaws (with --flaws) are the ones soc-tools exists for: speaker-name labels, glued tags,
exact and near duplicates, a reused chat_id, too-short chats, an early <end/>, malformed lines
(one of these after every 8th chat, in turn).
With --near-dups F, a fraction F of chats are near-duplicates (5% of messages edited) of an
earlier chat; their line numbers are written to --pairs-out as `dup_line<TAB>original_line`.

With --realistic (bench/gen_realistic.py) the data looks like SOC-2508 as scrub meets it: a
5,000-persona pool (--personas still sets it) with Turkish, Vietnamese, Chinese, Arabic, Greek
and German names and names with apostrophes and dots, some stored decomposed (NFD); about 6% of
message bytes non-ASCII with emoji; half of the records written with `\u` escapes (json.dumps's
default) and half as raw UTF-8; speaker labels in about 7% of messages in every shape soc-scrub
removes; glued tags and misplaced <end/>; and look-alikes that must stay.

  python3 bench/gen_soc.py --realistic --megabytes 100 --seed 1 > bench/data/soc_realistic.jsonl
"""
import argparse
import json
import random
import sys

FIRST = ["Elias", "Luna", "Brenda", "Leo", "Frank", "Ximena", "Saima", "Zoë", "Élodie", "José", "Aoife",
         "Connor", "Priya", "Kenji", "Marta", "Tomás", "Nadia", "Omar", "Grace", "Hugo", "Ingrid", "Jamal",
         "Keiko", "Lars", "Mei", "Nikolai", "Olivia", "Pablo", "Quinn", "Rosa", "Sven", "Tariq", "Uma",
         "Viktor", "Wren", "Yusuf", "Zara", "Björn", "Chloé", "Dmitri"]
LAST = ["Vance", "Reyes", "Miller", "Kim", "Russo", "Ndlela", "Powell", "O'Brien", "Fischer", "Okafor",
        "Nakamura", "Haddad", "Lindqvist", "Moreau", "Castillo", "Petrov", "Singh", "Walsh", "Duarte",
        "Kowalski", "Murphy", "Schmidt", "Yilmaz", "Bianchi", "Eriksen", "Novak", "Alvarez", "Chen"]
HANDLES = ["quantum_scribe", "StardustSketcher", "BrendaM_Law", "leok.streams", "theofficial.emma",
           "night_owl_88", "coffee+code", "pixel.pilgrim", "ramen_ronin", "sk8r_grl", "data_druid",
           "mossy.stone", "zen_and_tonic", "the_real_slim", "byte.me", "tea_rex"]
TRAITS = ["analytical", "introspective", "witty", "reserved", "creative", "optimistic", "daydreamer",
          "empathetic", "direct", "efficient", "impatient", "sharp", "energetic", "anxious", "practical",
          "reliable", "friendly", "calm", "curious", "stubborn", "generous", "sarcastic", "patient",
          "meticulous", "busy", "observant", "competitive", "introverted", "loyal", "playful"]
JOBS = ["a theoretical physicist", "a freelance illustrator", "a corporate lawyer", "a part-time streamer",
        "an electrician", "a historian", "a barista", "a nurse on night shifts", "a marine biologist",
        "a high-school teacher", "a retired carpenter", "a food truck owner", "a UX researcher",
        "a long-haul trucker", "a violin maker", "a data analyst", "a beekeeper", "a paramedic"]
PLACES = ["Portland", "Chicago", "Lisbon", "Osaka", "a small coastal town", "Berlin", "Toronto",
          "a mountain cabin", "Nairobi", "Melbourne", "Austin", "Dublin"]
WORDS = ("the a to and of it that is in you for was on with this just so but not have what like my be are "
         "about know think really time if at do all get one can would yeah okay lol honestly maybe pretty "
         "weird week work today tomorrow night morning coffee book idea plan thing people friend project "
         "draw write build fix read watch try start finish feel love hate need want guess mean sure "
         "actually probably never always again still already almost exactly totally kind sort bit lot "
         "story picture song game trip city rain sun weekend deadline meeting message call deal problem "
         "answer question chance reason moment minute hour day place house kitchen garden window street "
         "boat market station library gallery studio lab office shop cat dog bird tea pizza soup bread").split()
RELATIONS = ["Strangers who met in a Discord server about vintage sci-fi.", "Old college roommates.",
             "Coworkers on the same night shift.", "Neighbours in the same building.",
             "Just met on a language exchange app.", "Cousins who rarely talk.",
             "Members of the same climbing gym.", "Former bandmates."]
MODEL = "Qwen3-235B-A22B-Instruct-2507"


def hexid(rng):
    return "%032x" % rng.getrandbits(128)


def sentence(rng, lo=4, hi=18):
    n = rng.randint(lo, hi)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", "!", "?", "...", " :)", " lol", "."])


def persona(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    username = rng.choice(HANDLES + [None, None]) if rng.random() < 0.8 else None
    if username is not None and rng.random() < 0.5:
        username = f"{username}{rng.randint(1, 99)}"
    return {
        "name": f"{first} {last}",
        "username": username,
        "age": rng.randint(18, 78),
        "traits": rng.sample(TRAITS, rng.randint(3, 5)),
        "background": f"{first} is {rng.choice(JOBS)} living in {rng.choice(PLACES)}. {sentence(rng, 8, 20)}",
        "chatting_style": sentence(rng, 8, 22),
        "model": MODEL,
        "id": hexid(rng),
    }


def message(rng):
    r = rng.random()
    if r < 0.03:
        return f"<image>{sentence(rng, 3, 9)[:-1]}</image>" + (f" {sentence(rng, 2, 6)}" if rng.random() < 0.5 else "")
    if r < 0.05:
        return f"<gif>{rng.choice(['cat falling off a table', 'thumbs up', 'dancing dog', 'facepalm'])}</gif>"
    if r < 0.06:
        return f"<audio>{sentence(rng, 4, 12)}</audio>"
    if r < 0.065:
        return f"<video>{sentence(rng, 3, 8)[:-1]}</video>"
    if r < 0.08:
        unit = rng.choice(["minutes", "hours", "days"])
        return f'<delay {unit}="{rng.randint(1, 50)}"/>'
    return sentence(rng)


def chat(rng, p1, p2, when):
    turns = rng.randint(4, 30)
    parts = []
    speaker = rng.choice([p1, p2])
    for t in range(turns):
        msgs = [message(rng) for _ in range(rng.randint(1, 4))]
        if msgs[0].startswith("<delay") and t == 0:
            msgs[0] = sentence(rng)
        parts.append({"sender": speaker["id"], "messages": msgs})
        speaker = p2 if speaker is p1 else p1
    if rng.random() < 0.7:
        parts[-1]["messages"][-1] += " <end/>"
    return {
        "chat_id": f"{p1['id']}_{p2['id']}_{when}",
        "experience": {
            "persona1": p1, "persona2": p2,
            "relationship": rng.choice(RELATIONS),
            "situation": sentence(rng, 12, 30),
            "topic": sentence(rng, 6, 16),
            "id": hexid(rng),
        },
        "chat_parts": parts,
        "model": MODEL,
    }


def label(rng, p):
    """A speaker label the way models leak it."""
    first = p["name"].split()[0]
    handle = p["username"] or first
    return rng.choice([f"{p['name']}: ", f"**{first}:** ", f"[{handle}]: ", f"@{handle}: ",
                       f"{first.upper()}: ", f"  {first} :  "])


def plant_flaws(rng, c, p1, p2):
    """Plant one scrub-able artifact into a chat; returns a short description."""
    parts = c["chat_parts"]
    part = rng.choice(parts)
    who = p1 if part["sender"] == p1["id"] else p2
    k = rng.randrange(len(part["messages"]))
    kind = rng.choice(["label", "label", "inline", "glued_image", "glued_audio", "lookalike"])
    if kind == "label":
        part["messages"][k] = label(rng, who) + part["messages"][k]
    elif kind == "inline":
        part["messages"][k] = part["messages"][k] + "\n" + label(rng, who) + sentence(rng)
    elif kind == "glued_image":
        part["messages"][k] = part["messages"][k] + " <image>a blurry photo of a sunset</image> look at this"
    elif kind == "glued_audio":
        part["messages"][k] = part["messages"][k] + " <audio>humming a tune</audio> anyway"
    else:
        other = p2 if who is p1 else p1
        part["messages"][k] = f"I told {other['name'].split()[0]}: no way. Thanks {other['name']}!"
    return kind


def edit_copy(rng, c, fraction):
    """A near duplicate: a fraction of messages replaced by new sentences."""
    d = json.loads(json.dumps(c))
    slots = [(i, j) for i, part in enumerate(d["chat_parts"]) for j in range(len(part["messages"]))]
    for i, j in rng.sample(slots, max(1, int(len(slots) * fraction))):
        d["chat_parts"][i]["messages"][j] = sentence(rng)
    return d


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chats", type=int, default=0)
    ap.add_argument("--megabytes", type=float, default=0)
    ap.add_argument("--seed", type=int, default=2508)
    ap.add_argument("--flaws", action="store_true")
    ap.add_argument("--near-dups", type=float, default=0.0)
    ap.add_argument("--personas", type=int, default=None, help="size of the persona pool (200; 5000 with --realistic)")
    ap.add_argument("--personas-out")
    ap.add_argument("--pairs-out")
    ap.add_argument("--realistic", action="store_true",
                    help="the realistic profile (bench/gen_realistic.py); default pool 5000 personas")
    args = ap.parse_args()
    if args.realistic:
        import gen_realistic
        gen_realistic.generate(args, sys.stdout)
        return
    rng = random.Random(args.seed)
    pool = [persona(rng) for _ in range(args.personas or 200)]
    out = sys.stdout
    written = 0
    lines = 0
    chats = []
    pairs = []
    when = 1754636647
    target_bytes = int(args.megabytes * 1e6)
    while (args.chats and len(chats) < args.chats) or (target_bytes and written < target_bytes):
        when += rng.randint(1, 400)
        if args.near_dups and chats and rng.random() < args.near_dups:
            src_line, src = rng.choice(chats)
            c = edit_copy(rng, src, 0.05)
            p1, p2 = c["experience"]["persona1"], c["experience"]["persona2"]
            c["chat_id"] = f"{p1['id']}_{p2['id']}_{when}"
            pairs.append((lines + 1, src_line))
        else:
            p1, p2 = rng.sample(pool, 2)
            c = chat(rng, p1, p2, when)
            if args.flaws and rng.random() < 0.6:
                plant_flaws(rng, c, p1, p2)
        line = json.dumps(c, ensure_ascii=False)
        out.write(line + "\n")
        lines += 1
        written += len(line.encode()) + 1
        chats.append((lines, c))
        if args.flaws and len(chats) % 8 == 0:
            # Every kind of line-level flaw in turn, so that even a small sample has each one.
            kinds = ["exact", "reused_id", "short", "malformed", "early_end", "near"]
            extra = kinds[(len(chats) // 8 - 1) % len(kinds)]
            if extra == "exact":
                out.write(line + "\n")
            elif extra == "reused_id":
                d = edit_copy(rng, c, 0.8)
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
            elif extra == "short":
                d = json.loads(line)
                d["chat_parts"] = d["chat_parts"][:1]
                d["chat_id"] = d["chat_id"][:-3] + "999"
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
            elif extra == "malformed":
                out.write(line[: len(line) // 3] + "\n")
            elif extra == "early_end":
                d = json.loads(line)
                d["chat_parts"][0]["messages"][0] += " <end/>"
                d["chat_id"] = d["chat_id"][:-3] + "998"
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
            else:
                d = edit_copy(rng, c, 0.05)
                d["chat_id"] = d["chat_id"][:-3] + "997"
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
            lines += 1
    if args.personas_out:
        with open(args.personas_out, "w", encoding="utf-8") as f:
            for p in pool:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    if args.pairs_out:
        with open(args.pairs_out, "w") as f:
            for a, b in pairs:
                f.write(f"{a}\t{b}\n")


if __name__ == "__main__":
    main()
