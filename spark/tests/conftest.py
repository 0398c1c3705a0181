"""Shared fixtures of the Spark tests: the built binaries, a test input, a local Spark."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "spark"))


@pytest.fixture(scope="session")
def bin_dir():
    """The folder of the built soc binaries (SOC_BIN_DIR, else .build/debug)."""
    folder = os.environ.get("SOC_BIN_DIR") or os.path.join(ROOT, ".build", "debug")
    for tool in ("soc-validate", "soc-scrub", "soc-dedup", "soc-filter", "soc-stats"):
        if not os.access(os.path.join(folder, tool), os.X_OK):
            pytest.fail(f"{tool} is not built in {folder} (swift build, or set SOC_BIN_DIR)")
    return folder


def planted_input(path):
    """~340 generated chats with the generator's flaws, plus lines that only a byte-exact,
    globally checked run gets right: a duplicate chat_id and an exact-text copy far from their
    originals (other partitions), invalid UTF-8, a \\r inside a line and one before its newline, a blank line, and a
    last line without a newline."""
    generated = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "gen_soc.py"), "--chats", "300", "--flaws", "--personas",
         "40", "--seed", "3"], check=True, stdout=subprocess.PIPE).stdout
    lines = generated.rstrip(b"\n").split(b"\n")
    same_id = lines[0]  # duplicate_id across partitions (and an exact_text copy, never reached)
    other_text = json.loads(lines[3])
    other_text["chat_id"] = other_text["chat_id"][:-1] + ("7" if other_text["chat_id"][-1] != "7" else "8")
    extra = [
        b"\xff\xfe not utf-8",
        lines[5][:1] + b"\r" + lines[5][1:] + b"\r",  # JSON white space, then a \r\n line end
        b"",
        same_id,
        json.dumps(other_text, ensure_ascii=False).encode("utf-8"),
    ]
    middle = len(lines) // 2
    data = lines[:middle] + extra[:3] + lines[middle:] + extra[3:]
    with open(path, "wb") as handle:
        handle.write(b"\n".join(data))  # no final newline
    return path


@pytest.fixture(scope="session")
def input_file(tmp_path_factory):
    return planted_input(str(tmp_path_factory.mktemp("input") / "raw.jsonl"))
