"""Part 2: soc-dedup --groups components on Spark (bands, verified pairs, large-star/small-star)
equals the one-machine components run: survivors, removed lines, report counts, each removed
record's survivor, reason and similarity, and the removal list `soc-dedup cluster` writes."""

import json
import os
import subprocess
import sys

import pytest

import soc_spark
from conftest import ROOT
from test_pipeline import concatenated, read


def near_duplicate_input(path):
    """Chats with 20% planted near duplicates, plus an exact copy and a reused chat_id (with other
    text) far from their originals, and two copies of one chat with overlapping edits."""
    generated = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "gen_soc.py"), "--chats", "300", "--near-dups", "0.2",
         "--seed", "5"], check=True, stdout=subprocess.PIPE).stdout
    lines = generated.rstrip(b"\n").split(b"\n")
    reused = json.loads(lines[7])
    reused["chat_id"] = json.loads(lines[2])["chat_id"]
    messages = [m for part in json.loads(lines[4])["chat_parts"] for m in part["messages"]]

    def edited(fraction_from, fraction_to):
        copy = json.loads(lines[4])
        copy["chat_id"] = copy["chat_id"][:-3] + "%03d" % (fraction_from * 100)
        k = 0
        for part in copy["chat_parts"]:
            for i, _ in enumerate(part["messages"]):
                if fraction_from * len(messages) <= k < fraction_to * len(messages):
                    part["messages"][i] = f"replaced message {k} of the chain"
                k += 1
        return json.dumps(copy).encode()

    extra = [lines[1], json.dumps(reused).encode(), edited(0.0, 0.3), edited(0.15, 0.45)]
    with open(path, "wb") as handle:
        handle.write(b"\n".join(lines + extra) + b"\n")
    return path


def partitions_of(path, n):
    """The input cut as soc_spark cuts it: line p goes to partition p * n // total."""
    lines = read(path).rstrip(b"\n").split(b"\n")
    parts = [[] for _ in range(n)]
    for position, line in enumerate(lines):
        parts[position * n // len(lines)].append(line)
    return parts


@pytest.mark.parametrize("window", [1])  # 1: the bound bites (buckets of 3+ skip pairs)
def test_components_on_spark_equal_one_machine(bin_dir, tmp_path, window):
    source = near_duplicate_input(str(tmp_path / "chats.jsonl"))
    dedup = os.path.join(bin_dir, "soc-dedup")
    options = ["--key", "chat_id", "--groups", "components", "--bucket-window", str(window)]
    with open(tmp_path / "one.jsonl", "wb") as out:
        subprocess.run([dedup] + options + ["--removed", str(tmp_path / "one.removed"), "--report",
                        str(tmp_path / "one.report"), "--clusters", str(tmp_path / "one.clusters"), source],
                       check=True, stdout=out)
    spark_out = tmp_path / "spark"
    assert soc_spark.main(["--master", "local[2]", "--partitions", "4", "--bin-dir", bin_dir, "-o", str(spark_out),
                           "--tool", " ".join(["soc-dedup"] + options), source]) == 0

    assert concatenated(spark_out / "records") == read(tmp_path / "one.jsonl")
    assert concatenated(spark_out / "removed" / "1-soc-dedup") == read(tmp_path / "one.removed")
    summed = json.loads(read(spark_out / "reports" / "1-soc-dedup.json"))
    whole = json.loads(read(tmp_path / "one.report"))
    for name in ("read", "written", "rejected", "removed", "modified", "reasons"):
        assert summed[name] == whole[name], name
    assert set(whole["reasons"]) == {"exact_key", "exact_text", "near_duplicate"}

    def essentials(line):
        record = json.loads(line)
        return {key: record[key] for key in ("id", "reason", "kept_id", "similarity")}

    one = [essentials(line) for line in read(tmp_path / "one.clusters").splitlines()]
    on_spark = [json.loads(line) for line in read(spark_out / "dedup" / "1-clusters.jsonl").splitlines()]
    assert on_spark == one and len(one) == whole["removed"]

    # The staged one-machine tool over the same four partitions writes the same removal list.
    signatures = []
    for k, part in enumerate(partitions_of(source, 4)):
        signature = str(tmp_path / f"{k}.sig")
        subprocess.run([dedup, "sign", "--shard", str(k), "--key", "chat_id", "-o", signature],
                       input=b"".join(line + b"\n" for line in part), check=True)
        signatures.append(signature)
    cluster = subprocess.run([dedup, "cluster", "--groups", "components", "--bucket-window", str(window)]
                             + signatures, check=True, stdout=subprocess.PIPE).stdout
    assert read(spark_out / "dedup" / "1-remove.txt") == cluster
