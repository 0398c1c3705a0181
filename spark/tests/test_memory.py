"""A chain whose data does not fit in the executors' memory: every tool still runs once per
partition (each stage's data is kept on local disk instead of being recomputed from its
lineage), and the output is the same as with room to spare."""

import os
import stat

import soc_spark
from test_pipeline import CHAIN, concatenated

TOOLS = ("soc-validate", "soc-scrub", "soc-dedup", "soc-filter", "soc-stats")


def counting_tools(bin_dir, folder):
    """A folder of wrappers that log `TOOL FIRST-ARGUMENT` to a file, then run the real tool."""
    log = os.path.join(folder, "calls.log")
    for tool in TOOLS:
        path = os.path.join(folder, tool)
        with open(path, "w") as handle:
            handle.write(f'#!/bin/sh\necho "{tool} $1" >> "{log}"\nexec "{os.path.join(bin_dir, tool)}" "$@"\n')
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return log


def run_chain(bin_dir, input_file, out, conf=(), extra=()):
    arguments = ["--master", "local[2]", "--partitions", "4", "--bin-dir", bin_dir, "-o", str(out)] + list(extra)
    for setting in conf:
        arguments += ["--conf", setting]
    for tool, tool_arguments in CHAIN:
        arguments += ["--tool", " ".join([tool] + tool_arguments)]
    assert soc_spark.main(arguments + [input_file]) == 0


def test_each_tool_runs_once_per_partition_when_memory_is_short(bin_dir, input_file, tmp_path, capsys):
    wrappers = tmp_path / "bin"
    wrappers.mkdir()
    log = counting_tools(bin_dir, str(wrappers))
    # Storage memory of a few kilobytes: no partition of any stage fits in it.
    run_chain(str(wrappers), input_file, tmp_path / "short", ["spark.memory.fraction=0.0001"])
    with open(log) as handle:
        calls = [line.split() for line in handle.read().splitlines()]
    counts = {}
    for call in calls:
        tool = call[0] if call[0] != "soc-dedup" else f"soc-dedup {call[1]}"
        counts[tool] = counts.get(tool, 0) + 1
    assert counts == {
        "soc-validate": 4, "soc-scrub": 4, "soc-dedup sign": 4, "soc-dedup cluster": 1, "soc-dedup apply": 4,
        "soc-filter": 4}, counts

    run_chain(bin_dir, input_file, tmp_path / "roomy", extra=["--timings"])
    # --timings: each step's shuffle bytes (the read's partitionBy moves every line, compressed)
    # and CPU.
    timings = {line.split(":")[1].strip(): line for line in capsys.readouterr().err.splitlines()
               if line.startswith("soc_spark: ")}
    read_shuffle = int(timings["read"].split("shuffle write ")[1].split(" ")[0])
    assert read_shuffle > os.path.getsize(input_file) // 10, timings["read"]
    assert ", cpu " in timings["soc-scrub"], timings["soc-scrub"]
    for folder in ("records", "rejects/1-soc-validate", "removed/3-soc-dedup", "removed/4-soc-filter"):
        assert concatenated(tmp_path / "short" / folder) == concatenated(tmp_path / "roomy" / folder), folder
