#!/usr/bin/env python3
"""Writes Sources/SOCCore/Scrub/DefaultRules.swift from rules/scrub/*.rules (run after editing them).

soc-scrub carries its default rules inside the executable so that it runs from anywhere; a test
fails when the two differ.
"""
import os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
files = ["chat.rules", "persona.rules"]
out = [
    "/// The default rule files, built into the executable so that it runs from anywhere. They are",
    "/// the files under `rules/scrub/` byte for byte (a test compares them); after editing those,",
    "/// run `python3 rules/embed_defaults.py`.",
    "public enum DefaultRules {",
    "    /// File name and text of each default rule file, in the order they are loaded.",
    "    public static let files: [(name: String, text: String)] = [",
]
for name in files:
    with open(os.path.join(root, "rules", "scrub", name), encoding="utf-8") as f:
        text = f.read()
    assert text.endswith("\n") and '"""#' not in text
    out.append('        ("%s", #"""' % name)
    out.extend(text[:-1].split("\n"))
    out.append('"""# + "\\n"),')
out += ["    ]", "}"]
with open(os.path.join(root, "Sources", "SOCCore", "Scrub", "DefaultRules.swift"), "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
