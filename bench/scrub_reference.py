#!/usr/bin/env python3
"""A plain Python (json + re) implementation of soc-scrub's default rules, the bench's peer.

  python3 bench/scrub_reference.py < chats.jsonl > scrubbed.jsonl

The same rules as rules/scrub/*.rules, written the way a careful Python user would: json.loads
each line; the tag patterns compiled once; speaker labels found by one compiled pattern whose
candidate name is looked up among the chat's persona values by a case-folded key (str.casefold
after mapping ı and İ to i, NFC on both sides), the keys cached per persona, not per pair;
strip, drop empty messages and parts, merge the parts around a dropped one when one sender wrote
both, leave out a chat left with fewer than 2 parts; json.dumps each changed record (with \\u
escapes when the line was ASCII, as soc-scrub keeps a record's style). Persona records get the
name rules. Lines that are not JSON are skipped. Records no rule changes are written as they
came, so outputs compare line by line with soc-scrub's (as parsed JSON: changed records are
re-serialized here, spliced there).
"""
import json
import re
import sys
import unicodedata

# Unicode White_Space, the set soc-scrub trims.
WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

# Linear tag patterns (a tag's content is scanned only up to the next tag of its name).
AUDIO_DELAY = r"<audio>(?:(?!</?audio>).)*+</audio>|<delay\b[^<>]*+(?<=/)>"
MEDIA = r"<(image|gif|video)>(?:(?!</?\1>).)*+</\1>"
MEDIA_IN_END = r"<(?P<m>image|gif|video)>(?:(?!</?(?P=m)>).)*+</(?P=m)>"
END_LAST = re.compile(r"<end/>\s*+(?=(?:(?!<end/>).)*+\Z)(?=.*?(?:" + AUDIO_DELAY + "|" + MEDIA_IN_END + r"))(?P<rest>.*)", re.S)
# (pattern, breaks before the match, breaks after it)
TAG_RULES = [
    (re.compile(AUDIO_DELAY, re.S), True, True),
    (re.compile(MEDIA, re.S), True, False),
]
# A label at a line start: blanks, ** or [, @, the name (no ':' or line break), ** or ], blanks,
# ':', **, then blanks, the line's end, or text that does not start an emoticon or URL.
# [^\W_] is a letter or digit, [^\W\d_] a letter (Unicode).
LABEL_HEAD = re.compile(r"[ \t]*")
LABEL_TAIL = re.compile(r"(?:\*\*|\])?[ \t]*:(?:\*\*)?(?:[ \t]+|$|(?![)(/\\|\[\]<>*'\-])(?![^\W_](?![^\W\d_])))", re.M)
HANDLE = re.compile(r"[ \t]*[(\[]?(?<![\w.])@[\w.]*\w[)\]]?")
USERNAME = r"[ \t]*(?:[(\[]@?{u}[)\]]|(?<![\w.])@{u}|(?<![\w.@])(?=[\w.]*[\d_.]){u})(?![\w.])"

_keys = {}


def key(text):
    """A name as a reader compares it: NFC, ı and İ as i, full case folding, NFC."""
    text = unicodedata.normalize("NFC", text).replace("İ", "i").replace("ı", "i")
    return unicodedata.normalize("NFC", text.casefold())


def persona_keys(p):
    """The folded full name, first name and username of a persona (cached per persona)."""
    name = " ".join((p.get("name") or "").split())
    user = (p.get("username") or "").strip(WS)
    cache_key = (name, user)
    found = _keys.get(cache_key)
    if found is None:
        values = [v for v in (name, name.split()[0] if name.split() else "", user) if v]
        found = _keys[cache_key] = frozenset(key(v) for v in values)
    return found


def remove_labels(text, keys):
    """Removes every speaker label at the start of a line of `text` (as the PCRE2 rule does)."""
    if ":" not in text or not keys:
        return text
    out = []
    pos = 0
    n = len(text)
    while pos <= n:
        end = text.find("\n", pos)
        line_end = n if end < 0 else end
        cut = label_at(text, pos, line_end, keys)
        out.append(text[cut if cut is not None else pos:line_end])
        if end < 0:
            break
        out.append("\n")
        pos = end + 1
    return "".join(out)


def label_at(text, start, line_end, keys):
    """The end of the label starting the line at `start`, or None."""
    p = LABEL_HEAD.match(text, start).end()
    starts = []
    for bracket in ("**", "["):
        if text.startswith(bracket, p):
            q = p + len(bracket)
            if text.startswith("@", q):
                starts.append(q + 1)
            starts.append(q)
            break
    else:
        if text.startswith("@", p):
            starts.append(p + 1)
    starts.append(p)
    for s in starts:
        # The name runs to a ':' (it holds none): only the first colon after s can end it.
        colon = text.find(":", s, line_end)
        if colon < 0:
            continue
        # Longest candidate first (at most 100 characters), as the greedy group: the name may
        # end before ** or ] and blanks.
        for e in range(min(colon, s + 100), s, -1):
            m = LABEL_TAIL.match(text, e)
            if not m or m.start() != e:
                continue
            if key(text[s:e]) in keys:
                return m.end()
    return None


def split(regex, before, after, text):
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


def scrub_message(m, keys):
    m2 = END_LAST.sub(lambda x: x.group("rest") + " <end/>", m, count=1)
    pieces = [m2]
    for regex, before, after in TAG_RULES:
        pieces = [q for p in pieces for q in split(regex, before, after, p)]
    pieces = [remove_labels(p, keys) for p in pieces]
    return [p for p in (p.strip(WS) for p in pieces) if p]


def scrub_chat(chat):
    """True when changed; None when the chat would keep fewer than 2 parts (left out)."""
    exp = chat.get("experience") or {}
    keys = set()
    for name in ("persona1", "persona2"):
        p = exp.get(name)
        if isinstance(p, dict):
            keys |= persona_keys(p)
    changed = False
    kept = []          # (part, dropped_before)
    dropped_any = False
    dropped_since = False
    for part in chat["chat_parts"]:
        messages = []
        for m in part["messages"]:
            if not isinstance(m, str):
                messages.append(m)
                continue
            pieces = scrub_message(m, keys)
            if pieces != [m]:
                changed = True
            messages.extend(pieces)
        if not messages:
            changed = dropped_any = dropped_since = True
            continue
        part["messages"] = messages
        if dropped_since and kept and kept[-1].get("sender") == part.get("sender") and isinstance(part.get("sender"), str):
            kept[-1]["messages"].extend(messages)
        else:
            kept.append(part)
        dropped_since = False
    if dropped_any and len(kept) < 2:
        return None
    chat["chat_parts"] = kept
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
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", errors="surrogatepass", closefd=False)
    for line in sys.stdin.buffer:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        if isinstance(record.get("chat_parts"), list):
            changed = scrub_chat(record)
            if changed is None:
                continue
        elif isinstance(record.get("name"), str):
            changed = scrub_persona(record)
        else:
            changed = False
        if changed:
            out.write(json.dumps(record, ensure_ascii=line.isascii()) + "\n")
        else:
            out.write(line.decode("utf-8", "surrogatepass"))
    out.flush()


if __name__ == "__main__":
    main()
