#!/usr/bin/env python3
r"""The realistic profile of bench/gen_soc.py (`gen_soc.py --realistic`): SOC chats as soc-scrub
meets them in SOC-2508, built from a persona pool the size of SPB-2508.

- 5,000 personas (so nearly every chat has a pair of its own): Latin, Turkish, Vietnamese,
  Chinese, Arabic, Greek and German names, names with apostrophes and dots, names whose case
  mapping is not one-to-one (Yılmaz, İlknur, Strauß, Σοφία), some stored decomposed (NFD).
- Messages with emoji, accented and non-Latin words: about 6% of message bytes are non-ASCII.
- Half of the records are written as json.dumps writes by default (`\\u` escapes, ASCII only),
  half as raw UTF-8 (`ensure_ascii=False`); a few escaped records hold a lone surrogate.
- Speaker labels in about 7% of messages, in every shape soc-scrub removes: full name, first
  name, username, `**First:**`, `**First**:`, `[handle]:`, `@handle:`, upper and mixed case (with
  full case mapping: STRAUSS, SHIVANI YILMAZ, ILKNUR), spaced, no space after the colon, at the
  start of an inner line, and in the other Unicode normalization form than the persona's name.
- Glued tags (`text <image>..</image> caption`, `<audio>` inside text, `<delay/>` glued to text,
  `<end/>` after `<audio>`, `<end/>` before a tag), a few messages that are only a label (their
  part is emptied), and look-alikes that must stay (`Elias:)`, `Elias:P`, `I told Elias: no`,
  `10:30`, `http://`, `Eliasson:`).

Deterministic: seeded, its own word lists, the same bytes on any machine.
"""
import json
import random
import unicodedata

import gen_soc

# (first names, last names, order): "given" writes first last, "family" writes last first.
NAME_GROUPS = [
    (gen_soc.FIRST + ["Siobhán", "Amélie", "Anaïs", "Joël", "Zoë", "Søren", "Łukasz", "Małgorzata"],
     gen_soc.LAST + ["Müller", "Ångström", "Łopez", "Núñez", "Dvořák", "Ó Briain"], "given"),
    (["İlknur", "Işıl", "Çağla", "Şule", "Gökhan", "Ilgın", "Ömer", "Ayşe", "Barış", "Ümit", "İsmail", "Shivani"],
     ["Yılmaz", "Öztürk", "Şahin", "Çelik", "Aydın", "Kılıç", "Doğan", "Yıldız", "Işık"], "given"),
    (["Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Võ", "Huỳnh", "Bùi"],
     ["Thị Hương", "Văn Đức", "Minh Khôi", "Thu Thảo", "Quốc Bảo", "Thị Ánh", "Hải Yến", "Đức Anh"], "given"),
    (["王", "李", "张", "刘", "陈", "杨"], ["伟", "娜", "敏", "洋", "静", "磊", "婷"], "cjk"),
    (["Wei", "Li", "Xiaoming", "Mei", "Jun", "Yan"], ["Zhang", "Wang", "Liu", "Chen", "Huang"], "given"),
    (["محمد", "فاطمة", "عمر", "ليلى", "يوسف", "نور"], ["العلي", "حداد", "الزهراء", "منصور", "خليل"], "given"),
    (["Aisha", "Omar", "Layla", "Yusuf", "Karim", "Noor"], ["Al-Farsi", "Al-Haddad", "El-Amin", "Mansour"], "given"),
    (["Σοφία", "Νίκος", "Ελένη", "Γιώργος", "Άννα"], ["Παπαδοπούλου", "Οικονόμου", "Νικολάου", "Γεωργίου"], "given"),
    (["Johann", "Jürgen", "Grete", "Käthe", "Lukas"], ["Strauß", "Weiß", "Groß", "Meißner", "Fuß"], "given"),
    (["Sinéad", "Seán", "D'Arcy", "N'Golo", "Mary-Kate", "Dr. Amara", "J. R.", "St. John", "Mr. T"],
     ["O'Connor", "O’Neil", "D'Angelo", "Kanté", "Obi", "Smith Jr.", "McAllister", "de la Cruz"], "given"),
]
HANDLE_WORDS = ["kedi", "sever", "pho", "mèo", "ninja", "stargazer", "chai", "latte", "moon", "tea", "sky", "byte",
                "ramen", "owl", "fox", "pixel", "zen", "code", "art", "dream", "quantum", "scribe", "river"]
EMOJI = ["😂", "🙏", "✨", "🎉", "❤️", "👍🏽", "🔥", "😅", "🥲", "😭", "🤔", "👀", "🇹🇷", "🍜", "☕", "🌙", "💀", "🙌"]
WORDS_INTL = ["café", "naïve", "déjà vu", "jalapeño", "über", "façade", "crème brûlée", "teşekkürler", "güzel",
              "cảm ơn", "không sao", "好的", "哈哈", "加油", "شكرا", "يلا", "ありがとう", "すごい", "καλημέρα", "спасибо",
              "straße", "smörgåsbord", "piñata", "São Paulo", "Zürich", "İstanbul", "Hà Nội"]
KAOMOJI = ["(´｡• ᵕ •｡`)", "¯\\_(ツ)_/¯", "(╯°□°)╯", "ᕕ( ᐛ )ᕗ"]
LOOKALIKE_TAILS = [":)", ":-)", ":P", ":3", ":D lol", ":( why", "://", ":'(", ":/ hmm", ":-P"]
MODEL = gen_soc.MODEL


def sentence(rng):
    """A chat sentence; about one word in twenty is non-ASCII, emoji now and then."""
    n = rng.randint(4, 18)
    words = []
    for _ in range(n):
        r = rng.random()
        if r < 0.025:
            words.append(rng.choice(WORDS_INTL))
        elif r < 0.041:
            words.append(rng.choice(EMOJI))
        else:
            words.append(rng.choice(gen_soc.WORDS))
    words[0] = words[0][:1].upper() + words[0][1:]
    end = rng.choice([".", "!", "?", "...", " :)", " lol", ".", " " + rng.choice(EMOJI), " " + rng.choice(KAOMOJI)])
    return " ".join(words) + end


def make_name(rng):
    firsts, lasts, order = rng.choice(NAME_GROUPS)
    first, last = rng.choice(firsts), rng.choice(lasts)
    if order == "cjk":
        name = first + last
    elif rng.random() < 0.15:
        name = first  # a one-word name
    else:
        name = f"{first} {last}"
    if rng.random() < 0.15:
        name = unicodedata.normalize("NFD", name)  # stored decomposed
    return name


def make_username(rng, name):
    r = rng.random()
    if r < 0.3:
        return None
    word = rng.choice(HANDLE_WORDS)
    base = name.split()[0].lower() if rng.random() < 0.3 else word
    sep = rng.choice(["_", ".", "", "_"])
    tail = str(rng.randint(1, 999)) if rng.random() < 0.5 else rng.choice(HANDLE_WORDS)
    return f"{base}{sep}{tail}"


def persona(rng):
    name = make_name(rng)
    first = name.split()[0]
    return {
        "name": name,
        "username": make_username(rng, name),
        "age": rng.randint(18, 78),
        "traits": rng.sample(gen_soc.TRAITS, rng.randint(3, 5)),
        "background": f"{first} is {rng.choice(gen_soc.JOBS)} living in {rng.choice(gen_soc.PLACES)}. {sentence(rng)}",
        "chatting_style": sentence(rng),
        "model": MODEL,
        "id": gen_soc.hexid(rng),
    }


def upper(s):
    return s.upper()


def lower(s):
    # İ lowers to i + combining dot in Python; people type a plain i.
    return s.replace("İ", "i").lower()


def other_form(s):
    """The name in the normalization form it is not stored in."""
    nfc = unicodedata.normalize("NFC", s)
    return unicodedata.normalize("NFD", s) if s == nfc else nfc


def mixed(s):
    words = s.split()
    return " ".join(w if k % 2 == 0 else upper(w) for k, w in enumerate(words))


def label(rng, p):
    """A speaker label for persona p, in one of the shapes models leak (with its text after)."""
    name = " ".join(p["name"].split())
    first = name.split()[0]
    handle = p["username"] or first
    shapes = [
        f"{name}: ", f"{first}: ", f"{handle}: ", f"**{first}:** ", f"**{first}**: ", f"[{handle}]: ",
        f"@{handle}: ", f"{upper(first)}: ", f"{upper(name)}: ", f"{lower(name)}: ", f"{mixed(name)}: ",
        f"  {first} :  ", f"{name}:", f"{first}:", f"{other_form(name)}: ", f"{other_form(first)}:",
    ]
    return rng.choice(shapes)


def lookalike(rng, p, other):
    first = " ".join(p["name"].split()).split()[0]
    ofirst = " ".join(other["name"].split()).split()[0]
    return rng.choice([
        first + rng.choice(LOOKALIKE_TAILS),
        f"I told {ofirst}: no way {rng.choice(EMOJI)}",
        f"Thanks {other['name']}!",
        f"meet at {rng.randint(1, 12)}:{rng.randint(10, 59)} then",
        f"{ofirst}'s idea: {sentence(rng)}",
        f"{first}son: {sentence(rng)}",
        f"see http://example.org/{rng.choice(HANDLE_WORDS)} lol",
        f"ratio is 3:2 {rng.choice(EMOJI)}",
        f"{ofirst} said:\n{sentence(rng)}",
    ])


def plain_message(rng):
    r = rng.random()
    if r < 0.025:
        return f"<image>{sentence(rng)[:-1]}</image>" + (f" {sentence(rng)}" if rng.random() < 0.5 else "")
    if r < 0.04:
        return f"<gif>{rng.choice(['cat falling off a table', 'thumbs up', 'dancing dog', 'facepalm', 'mèo nhảy'])}</gif>"
    if r < 0.05:
        return f"<audio>{sentence(rng)}</audio>"
    if r < 0.055:
        return f"<video>{sentence(rng)[:-1]}</video>"
    if r < 0.065:
        unit = rng.choice(["minutes", "hours", "days"])
        return f'<delay {unit}="{rng.randint(1, 50)}"/>'
    return sentence(rng)


def glued(rng):
    """A message with a tag glued to text."""
    s = sentence(rng)
    return rng.choice([
        f"{s} <image>{sentence(rng)[:-1]}</image> look at this",
        f"{s}<gif>thumbs up</gif>",
        f"{s} <audio>{sentence(rng)}</audio> anyway",
        f'<delay hours="{rng.randint(1, 9)}"/>{s}',
        f"{s} <video>a short clip</video>",
    ])


def message(rng, speaker, other):
    r = rng.random()
    if r < 0.07:
        who = speaker if rng.random() < 0.85 else other
        text = label(rng, who) + sentence(rng)
        if rng.random() < 0.25:  # the label at the start of an inner line
            text = sentence(rng) + "\n" + text
        return text
    if r < 0.085:
        return lookalike(rng, speaker, other)
    if r < 0.095:
        return glued(rng)
    return plain_message(rng)


END_SHAPES = [
    lambda rng, s: s + " <end/>",
    lambda rng, s: s + " <end/>",
    lambda rng, s: f"{s} <audio>{sentence(rng)}</audio> <end/>",
    lambda rng, s: f'<delay minutes="{rng.randint(1, 30)}"/> <end/>',
    lambda rng, s: f"<image>a wave</image> {s} <end/>",
    lambda rng, s: f"ok then <end/> <audio>sigh</audio> {s}",
    lambda rng, s: f"see you <end/> <image>a wave</image> {s}",
]


def chat(rng, p1, p2, when):
    turns = rng.randint(4, 30)
    parts = []
    speaker = rng.choice([p1, p2])
    for t in range(turns):
        other = p2 if speaker is p1 else p1
        msgs = [message(rng, speaker, other) for _ in range(rng.randint(1, 4))]
        if msgs[0].startswith("<delay") and t == 0:
            msgs[0] = sentence(rng)
        if 0 < t < turns - 1 and rng.random() < 0.004:
            # A part that is only a label: scrub empties it and merges its neighbours.
            msgs = [label(rng, speaker).rstrip()]
        parts.append({"sender": speaker["id"], "messages": msgs})
        speaker = other
    if rng.random() < 0.7:
        shape = rng.choice(END_SHAPES) if rng.random() < 0.3 else END_SHAPES[0]
        parts[-1]["messages"][-1] = shape(rng, parts[-1]["messages"][-1])
    return {
        "chat_id": f"{p1['id']}_{p2['id']}_{when}",
        "experience": {
            "persona1": p1, "persona2": p2,
            "relationship": rng.choice(gen_soc.RELATIONS),
            "situation": sentence(rng),
            "topic": sentence(rng),
            "id": gen_soc.hexid(rng),
        },
        "chat_parts": parts,
        "model": MODEL,
    }


def generate(args, out):
    rng = random.Random(args.seed)
    pool = [persona(rng) for _ in range(args.personas or 5000)]
    when = 1754636647
    target = int(args.megabytes * 1e6)
    written = chats = 0
    near_dups = getattr(args, "near_dups", 0.0)
    lines = []  # (line number, JSON text) of every chat so far, for --near-dups
    pairs = []
    while (args.chats and chats < args.chats) or (target and written < target):
        when += rng.randint(1, 400)
        if near_dups and lines and rng.random() < near_dups:
            # A near duplicate of an earlier chat: 5% of its messages replaced, a new chat_id.
            source_line, source = rng.choice(lines)
            c = gen_soc.edit_copy(rng, json.loads(source), 0.05)
            persona1, persona2 = c["experience"]["persona1"], c["experience"]["persona2"]
            c["chat_id"] = f"{persona1['id']}_{persona2['id']}_{when}"
            pairs.append((chats + 1, source_line))
            # A lone surrogate can only be written escaped.
            escaped = rng.random() < 0.5 or "\\ud83d broken" in source
            line = json.dumps(c, ensure_ascii=escaped)
            out.write(line + "\n")
            written += len(line.encode("utf-8", "surrogatepass")) + 1
            chats += 1
            lines.append((chats, line))
            continue
        p1, p2 = rng.sample(pool, 2)
        c = chat(rng, p1, p2, when)
        escaped = rng.random() < 0.5
        if escaped and rng.random() < 0.01:
            part = rng.choice(c["chat_parts"])
            part["messages"][0] += " \ud83d broken emoji"  # a lone surrogate, as \ud83d
        line = json.dumps(c, ensure_ascii=escaped)
        out.write(line + "\n")
        written += len(line.encode("utf-8", "surrogatepass")) + 1
        chats += 1
        if near_dups:
            lines.append((chats, line))
    if getattr(args, "pairs_out", None):
        with open(args.pairs_out, "w") as f:
            for a, b in pairs:
                f.write(f"{a}\t{b}\n")
    if args.personas_out:
        with open(args.personas_out, "w", encoding="utf-8") as f:
            for p in pool:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
