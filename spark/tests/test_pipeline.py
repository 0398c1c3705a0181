"""Part 1: the chain on Spark (local[2], 4 partitions) gives the bytes of the one-machine pipe."""

import glob
import json
import os
import subprocess

import soc_spark

CHAIN = [
    ("soc-validate", []),
    ("soc-scrub", []),
    ("soc-dedup", ["--key", "chat_id"]),
    ("soc-filter", ["--min-turns", "6"]),
]
HAS_REMOVED = {"soc-dedup", "soc-filter"}


def one_machine(bin_dir, input_file, out):
    """The chain as one shell pipe, each stage keeping its rejects, removed lines and report."""
    stages = []
    for k, (tool, arguments) in enumerate(CHAIN, 1):
        words = [os.path.join(bin_dir, tool)] + arguments + [
            "--rejects", f"{out}/rejects-{k}", "--report", f"{out}/report-{k}"]
        if tool in HAS_REMOVED:
            words += ["--removed", f"{out}/removed-{k}"]
        stages.append(" ".join(words))
    stages[0] += f" < {input_file}"
    script = f"set -o pipefail; {' | '.join(stages)} > {out}/records"
    subprocess.run(["bash", "-c", script], check=True)
    subprocess.run([os.path.join(bin_dir, "soc-stats"), "--format", "json", "-o", f"{out}/stats.json",
                    f"{out}/records"], check=True)


def concatenated(folder):
    """The part files of a Spark output folder, concatenated in partition order."""
    parts = sorted(glob.glob(os.path.join(folder, "part-*.jsonl")))
    assert parts, f"no part files in {folder}"
    data = b""
    for part in parts:
        with open(part, "rb") as handle:
            data += handle.read()
    return data


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


# Figures that are estimates after `soc-stats merge` (a HyperLogLog union), not exact counts.
ESTIMATED = {"unique", "duplicate_ids", "unique_exact", "id_sketch", "inputs"}


def assert_same_figures(merged, whole, path="$"):
    """Integer figures equal; fractional ones within 1e-9 relative; distinct-id estimates skipped."""
    assert type(merged) is type(whole) or {type(merged), type(whole)} <= {int, float}, path
    if isinstance(whole, dict):
        assert sorted(k for k in merged if k not in ESTIMATED) == sorted(k for k in whole if k not in ESTIMATED), path
        for key in whole:
            if key not in ESTIMATED:
                assert_same_figures(merged[key], whole[key], f"{path}.{key}")
    elif isinstance(whole, list):
        assert len(merged) == len(whole), path
        for i, (a, b) in enumerate(zip(merged, whole)):
            assert_same_figures(a, b, f"{path}[{i}]")
    elif isinstance(whole, float) or isinstance(merged, float):
        assert abs(merged - whole) <= 1e-9 * max(abs(whole), 1e-300) or merged == whole, (path, merged, whole)
    else:
        assert merged == whole, (path, merged, whole)


def test_chain_on_spark_equals_the_pipe(bin_dir, input_file, tmp_path):
    pipe = tmp_path / "pipe"
    pipe.mkdir()
    one_machine(bin_dir, input_file, pipe)

    out = tmp_path / "spark"
    arguments = ["--master", "local[2]", "--partitions", "4", "--bin-dir", bin_dir, "--stats", "-o", str(out)]
    for tool, tool_arguments in CHAIN:
        arguments += ["--tool", " ".join([tool] + tool_arguments)]
    assert soc_spark.main(arguments + [input_file]) == 0

    records = read(pipe / "records")
    assert concatenated(out / "records") == records
    # The planted flaws reached every stage: the test would pass on an empty chain otherwise.
    report_of = {}
    for k, (tool, _) in enumerate(CHAIN, 1):
        assert concatenated(out / "rejects" / f"{k}-{tool}") == read(pipe / f"rejects-{k}"), tool
        if tool in HAS_REMOVED:
            assert concatenated(out / "removed" / f"{k}-{tool}") == read(pipe / f"removed-{k}"), tool
        summed = json.loads(read(out / "reports" / f"{k}-{tool}.json"))
        whole = json.loads(read(pipe / f"report-{k}"))
        for name in ("read", "written", "rejected", "removed", "modified", "reasons"):
            assert summed[name] == whole[name], (tool, name, summed[name], whole[name])
        report_of[tool] = whole
    assert report_of["soc-validate"]["reasons"].get("duplicate_id", 0) >= 1
    assert report_of["soc-validate"]["reasons"].get("invalid_utf8", 0) == 1
    assert report_of["soc-scrub"]["modified"] > 0
    assert report_of["soc-dedup"]["removed"] >= 2
    assert report_of["soc-filter"]["removed"] >= 1
    assert b"{\r" in read(pipe / "rejects-1")  # a \r inside a line is not a line end

    merged = json.loads(read(out / "stats.json"))
    whole = json.loads(read(pipe / "stats.json"))
    assert_same_figures(merged, whole)


def test_missing_tool_is_named(tmp_path, input_file, capsys):
    status = soc_spark.main(["--bin-dir", str(tmp_path), "--tool", "soc-scrub", "-o", str(tmp_path / "o"), input_file])
    assert status == 2
    assert "soc-scrub: not found" in capsys.readouterr().err
