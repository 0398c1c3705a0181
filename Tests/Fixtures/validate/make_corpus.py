#!/usr/bin/env python3
"""Writes the soc-validate test corpus: one broken record per reason code, good records between.

  python3 Tests/Fixtures/validate/make_corpus.py   (rewrites corpus.jsonl, expected.tsv, personas.jsonl)

expected.tsv lists, for every line of corpus.jsonl, `line<TAB>code<TAB>path` (`ok` and `-` for
records that must pass byte-identical). Deterministic: no randomness, no clock.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
A = "4436437d368e4325a7c1c6f7092c2d9e"
B = "0f8e1b2a3c4d5e6f708192a3b4c5d6e7"
C = "9a9b9c9d9e9f90919293949596979899"


def persona(pid, name, **changes):
    p = {"name": name, "username": None, "age": 42, "traits": ["analytical", "witty", "reserved"],
         "background": f"{name} is a physicist who writes novels.", "chatting_style": "Precise, full sentences.",
         "model": "Qwen3-235B-A22B-Instruct-2507", "id": pid}
    p.update(changes)
    return p


def chat(n, p1=None, p2=None, parts=None, chat_id=None, **changes):
    p1 = p1 or persona(A, "Elias Vance")
    p2 = p2 or persona(B, "Luna Reyes", username="moon.child")
    if parts is None:
        parts = [
            {"sender": p1["id"], "messages": ["hey, did you see the <3 sticker?", "a < b and b -> c, right"]},
            {"sender": p2["id"], "messages": ["<delay minutes=\"30\" hours=\"1\"/>", "sorry, was out", "<image>a blurry sunset</image> look"]},
            {"sender": p1["id"], "messages": ["mail me at <ana@example.org> or see <https://example.org>", "bye <end/>"]},
        ]
    c = {"chat_id": chat_id or f"{p1['id']}_{p2['id']}_17546{n:05d}",
         "experience": {"persona1": p1, "persona2": p2, "relationship": "Old college roommates.",
                        "situation": "A rainy Sunday.", "topic": "Books.", "id": f"{n:032x}"},
         "chat_parts": parts, "model": "Qwen3-235B-A22B-Instruct-2507"}
    c.update(changes)
    return c


def parts_with(k, j, text):
    c = chat(0)
    c["chat_parts"][k]["messages"][j] = text
    return c["chat_parts"]


rows = []  # (line text, code, path)


def add(record, code="ok", path="-", raw=None):
    rows.append((raw if raw is not None else json.dumps(record, ensure_ascii=False), code, path))


add(chat(1))
add(persona(C, "Zoë O'Brien", username="tea_rex", traits=["calm", "loyal", "curious", "direct", "busy"]))
add({"foo": 1}, "unknown_kind", "$")
add(None, "malformed_json", "-", raw='{"chat_id": "abc", ')
ps = chat(0)["chat_parts"]
ps[1]["sender"] = C
add(chat(2, parts=ps), "unknown_sender", "$.chat_parts[1].sender")
add(chat(3, p2=persona(A, "Elias Twin"), parts=[{"sender": A, "messages": ["hi"]}, {"sender": A, "messages": ["hello"]}]),
    "same_persona", "$.experience.persona2.id")
add(chat(4, chat_id=f"{B}_{A}_1754600004"), "chat_id_mismatch", "$.chat_id")
add(chat(5, parts=[{"sender": A, "messages": ["anyone there?"]}]), "too_few_turns", "$.chat_parts")
add(chat(6, parts=parts_with(1, 1, "  \t ")), "empty_message", "$.chat_parts[1].messages[1]")
add(chat(7, parts=parts_with(0, 0, "this is <b>bold</b>")), "bad_tag", "$.chat_parts[0].messages[0]")
add(chat(8, parts=parts_with(1, 2, "<image>a photo of my cat")), "unbalanced_tag", "$.chat_parts[1].messages[2]")
add(chat(9, parts=parts_with(0, 1, "ok bye <end/>")), "early_end", "$.chat_parts[0].messages[1]")
# A broken copy of chat 10 comes first: it must not make the good chat 10 a duplicate.
broken = chat(10)
del broken["model"]
add(broken, "schema_required", "$")
add(chat(10))
add(chat(10), "duplicate_id", "$.chat_id")
add(persona(C, "Someone Else"), "duplicate_id", "$.id")
add(chat(11, p2=persona("1" * 32, "Ghost Writer")), "unknown_persona", "$.experience.persona2.id")
add(chat(12, p1=persona(A, "Elias Vance", age=43)), "persona_mismatch", "$.experience.persona1.age")
add(chat(13, p1=persona(A, "Elias Vance", age=200)), "schema_maximum", "$.experience.persona1.age")
add(persona("2" * 32, "Two Traits", traits=["calm", "busy"]), "schema_min_items", "$.traits")
add(persona("3" * 32, "Bad Name", username=5), "schema_type", "$.username")
add(persona("4" * 32, "Extra Field", hobby="chess"), "schema_additional_properties", "$.hobby")
add(persona("ABCDEF" + "5" * 26, "Upper Id"), "schema_pattern", "$.id")
add(chat(14, parts=[{"sender": A, "messages": ["hi"]}, {"sender": B, "messages": "hello"}]), "schema_type", "$.chat_parts[1].messages")
add(chat(15))
ps = chat(0)["chat_parts"]
ps[1]["sender"] = A
add(chat(16, parts=ps), "same_sender_twice", "$.chat_parts[1].sender")
# A key given twice (written escaped the second time): readers disagree on which one counts.
add(None, "duplicate_key", "$.experience.topic",
    raw=json.dumps(chat(17), ensure_ascii=False).replace('"topic": "Books."', '"topic": "Books.", "t\\u006fpic": "Films."'))

with open(os.path.join(HERE, "corpus.jsonl"), "w", encoding="utf-8") as f:
    for line, _, _ in rows:
        f.write(line + "\n")
with open(os.path.join(HERE, "expected.tsv"), "w", encoding="utf-8") as f:
    for k, (_, code, path) in enumerate(rows, 1):
        f.write(f"{k}\t{code}\t{path}\n")
with open(os.path.join(HERE, "personas.jsonl"), "w", encoding="utf-8") as f:
    for p in [persona(A, "Elias Vance"), persona(B, "Luna Reyes", username="moon.child")]:
        f.write(json.dumps(p, ensure_ascii=False) + "\n")
