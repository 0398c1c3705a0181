#!/usr/bin/env python3
"""A plain Python (json + re) implementation of soc-scrub's default rules, the bench's peer.

  python3 bench/scrub_reference.py < chats.jsonl > scrubbed.jsonl

The same rules as rules/scrub/*.rules, written the way one would in a notebook: json.loads each
line, re.sub over every message with patterns compiled per persona pair (through re's own
cache), strip, drop empty messages and parts, json.dumps each record. Persona records get the
name rules. Lines that are not JSON are skipped. Records no rule changes are written as they
came, so outputs compare line by line with soc-scrub's (as parsed JSON: changed records are
re-serialized here, spliced there).
"""
import json
import re
import sys

# Unicode White_Space, the set soc-scrub trims.
WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

# (id, pattern, flags, breaks before the match, breaks after it)
TAG_RULES = [
    ("tag-audio-delay", re.compile(r"(?:<audio>.*?</audio>|<delay\b[^<>]*/>)(?:\s*<end/>\s*\Z)?", re.S), True, True),
    ("tag-media-caption", re.compile(r"<(image|gif|video)>.*?</\1>", re.S), True, False),
]
LABEL = r"^[ \t]*(?:\*\*|\[)?@?(?:{names})(?:\*\*|\])?[ \t]*:(?:\*\*)?(?:[ \t]+|$)"
HANDLE = re.compile(r"[ \t]*[(\[]?(?<![\w.])@[\w.]*\w[)\]]?")
USERNAME = r"[ \t]*(?:[(\[]@?{u}[)\]]|(?<![\w.])@{u}|(?<![\w.@])(?=[\w.]*[\d_.]){u})(?![\w.])"


def alternation(values):
    values = sorted(set(v for v in values if v), key=lambda v: (-len(v.encode()), v))
    return "|".join(re.escape(v) for v in values) if values else "(?!)"


def split(rule, text):
    _, regex, before, after = rule
    pieces, current, last, breaks = [], "", 0, 0
    for m in regex.finditer(text):
        current += text[last:m.start()]
        if before:
            pieces.append(current); current = ""; breaks += 1
        current += m.group(0)
        if after:
            pieces.append(current); current = ""; breaks += 1
        last = m.end()
    current += text[last:]
    if not breaks:
        return [text]
    pieces.append(current)
    out = []
    for k, p in enumerate(pieces):
        if k > 0:
            p = p.lstrip(WS)
        if k < len(pieces) - 1:
            p = p.rstrip(WS)
        if p:
            out.append(p)
    return out


def scrub_chat(chat):
    exp = chat.get("experience") or {}
    personas = [exp.get("persona1") or {}, exp.get("persona2") or {}]
    names = [" ".join((p.get("name") or "").split()) for p in personas]
    firsts = [n.split()[0] for n in names if n.split()]
    users = [(p.get("username") or "").strip(WS) for p in personas]
    label = re.compile(LABEL.format(names="|".join(
        "(?:%s)" % alternation(v) for v in (names, firsts, users))), re.I | re.M)
    changed = False
    parts = []
    for part in chat["chat_parts"]:
        messages = []
        for m in part["messages"]:
            if not isinstance(m, str):
                messages.append(m)
                continue
            pieces = [m]
            for rule in TAG_RULES:
                pieces = [q for p in pieces for q in split(rule, p)]
            pieces = [label.sub("", p) for p in pieces]
            pieces = [p.strip(WS) for p in pieces]
            pieces = [p for p in pieces if p]
            if pieces != [m]:
                changed = True
            messages.extend(pieces)
        if messages:
            part["messages"] = messages
            parts.append(part)
        else:
            changed = True
    chat["chat_parts"] = parts
    return changed


def scrub_persona(p):
    name = p["name"]
    user = (p.get("username") or "").strip(WS)
    new = name
    if user:
        new = re.sub(USERNAME.format(u=re.escape(user)), "", new, flags=re.I)
    new = HANDLE.sub("", new).strip(WS)
    if new and new != name:
        p["name"] = new
        return True
    return False


def main():
    out = sys.stdout
    for line in sys.stdin.buffer:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        if isinstance(record.get("chat_parts"), list):
            changed = scrub_chat(record)
        elif isinstance(record.get("name"), str):
            changed = scrub_persona(record)
        else:
            changed = False
        out.write(json.dumps(record, ensure_ascii=False) + "\n" if changed else line.decode())


if __name__ == "__main__":
    main()
