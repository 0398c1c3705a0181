"""soc_spark: the soc-tools pipeline on Apache Spark, with the bytes of a one-machine run.

    spark-submit --files soc-validate,soc-scrub,soc-dedup,soc-filter,soc-stats spark/soc_spark.py \\
        --tool soc-validate --tool soc-scrub --tool 'soc-dedup --key chat_id' \\
        --tool 'soc-filter --min-turns 4' --stats --partitions 64 hdfs:///raw/*.jsonl.gz -o /shared/clean
    PYTHONPATH=spark python -m soc_spark --master 'local[2]' --bin-dir .build/release ... (the same)

Input lines are read as bytes split on \\n only (each input file by one task; .gz inflated), put
in input order into --partitions contiguous ranges, and every tool runs per partition in a
subprocess over bytes (soc_tools_runner). What needs all records is one global step:
soc-validate's duplicate_id (ids of accepted records, first partition per id, one list), and
soc-dedup (sign per partition, cluster once on one executor, apply per partition; or, with
--groups components, connected components in Spark: soc_components). Partition order is input
order, so survivors, rejects and removed lines are those of the one-machine pipe.

Output folder (-o; a local or file:// path every executor can write; with --output-format
parquet any Hadoop URI): records/part-NNNNN.jsonl, rejects/K-TOOL/part-NNNNN.jsonl,
removed/K-TOOL/part-NNNNN.jsonl, reports/K-TOOL.json (per-partition reports summed: read,
written, rejected, removed, modified, reasons), stats.json (soc-stats per partition, merged),
_SUCCESS. K is the tool's 1-based place in the chain.
"""

import argparse
import gzip
import json
import os
import shlex
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import soc_tools_runner as runner  # noqa: E402
from soc_dedup_spark import DedupStep  # noqa: E402

TOOLS = ("soc-validate", "soc-scrub", "soc-dedup", "soc-filter")
COUNTS = ("read", "written", "rejected", "removed", "modified")


# ---------------------------------------------------------------- input


def split_lines(data, name):
    """The lines of one input file's bytes (gzip inflated), split on \\n only."""
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return runner.split_lines(data)


def read_input(spark, inputs, input_format, column, partitions):
    """An RDD of `partitions` elements, element k = {"index": k, "records": [bytes, ...]}: the
    input lines in input order (inputs in the order given, files of one glob by name), cut into
    contiguous ranges of equal size."""
    sc = spark.sparkContext
    if input_format == "parquet":
        frame = spark.read.parquet(*inputs).select(column)
        lines = frame.rdd.map(lambda row: row[0] if isinstance(row[0], (bytes, bytearray)) else row[0].encode("utf-8"))
        lines = lines.map(bytes)
    else:
        parts = [sc.binaryFiles(path).sortByKey() for path in inputs]
        files = parts[0] if len(parts) == 1 else sc.union(parts)
        lines = files.flatMap(lambda pair: split_lines(pair[1], pair[0]))
    indexed = lines.zipWithIndex()
    total = indexed.count()
    n = partitions

    def place(pair):
        line, position = pair
        return (position * n // max(total, 1), (position, line))

    ranged = indexed.map(place).partitionBy(n, lambda k: k)

    def gather(index, items):
        ordered = sorted(items, key=lambda item: item[1][0])
        yield {"index": index, "records": [line for _, (_, line) in ordered], "sides": []}

    return ranged.mapPartitionsWithIndex(gather, preservesPartitioning=True)


# ---------------------------------------------------------------- steps


def side(state, tool, rejects, removed, report):
    state["sides"].append({"tool": tool, "rejects": rejects, "removed": removed, "report": report})


class PlainStep:
    """A tool that needs no other partition (soc-scrub, soc-filter): one run per partition."""

    def __init__(self, tool, arguments, bin_dir):
        self.tool, self.arguments, self.bin_dir = tool, arguments, bin_dir
        self.temporary = []

    def apply(self, rdd):
        tool, arguments, bin_dir = self.tool, self.arguments, self.bin_dir
        has_removed = tool == "soc-filter"

        def run(state):
            path = runner.find_tool(tool, bin_dir)
            result = runner.run_tool(path, arguments, state["records"], removed=has_removed)
            state["records"] = result.stdout
            side(state, tool, result.rejects, result.removed, result.report)
            return state

        return rdd.map(run)


def record_id_key(line, arguments):
    """The id soc-validate's duplicate_id compares for an accepted record (chat_id of a chat,
    id of a persona, as its string value), or None."""
    if "--schema" in arguments and "--kind" not in arguments:
        return None
    try:
        value = json.loads(line)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    kind = None
    if "--kind" in arguments:
        kind = arguments[arguments.index("--kind") + 1]
    elif any(key in value for key in ("chat_parts", "chat_id", "experience")):
        kind = "soc"
    elif any(key in value for key in ("traits", "background", "chatting_style", "username")):
        kind = "spb"
    found = value.get("chat_id" if kind == "soc" else "id") if kind else None
    if not isinstance(found, str):
        return None
    # The tools read a lone surrogate escape as U+FFFD.
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in found).encode("utf-8")


class ValidateStep:
    """soc-validate with duplicate_id across partitions: each partition is validated on its own
    (which finds the duplicates inside it); the ids of accepted records then meet in one
    global step (the first partition that accepted each id), and an accepted record whose id an
    earlier partition accepted becomes a duplicate_id reject, in its place among the rejects."""

    def __init__(self, arguments, bin_dir):
        self.arguments, self.bin_dir = arguments, bin_dir
        self.temporary = []  # RDDs persisted for this stage, released once its output is kept

    def apply(self, rdd):
        arguments, bin_dir = self.arguments, self.bin_dir
        checks_ids = not any(
            arguments[i] == "--skip" and arguments[i + 1] == "duplicate_id" for i in range(len(arguments) - 1))

        def local(state):
            path = runner.find_tool("soc-validate", bin_dir)
            result = runner.run_tool(
                path, arguments + ["--errors", "{dir}/errors"], state["records"], extra_files=("errors",))
            rejected = sorted({json.loads(line)["line"] - 1 for line in result.files.get("errors", b"").splitlines()})
            if len(rejected) != len(result.rejects):
                raise runner.ToolFailed("soc-validate: --errors and --rejects disagree")
            rejects = list(zip(rejected, result.rejects))
            kept, k, rejected_set = [], 0, set(rejected)
            for position, line in enumerate(state["records"]):
                if position in rejected_set:
                    continue
                if k < len(result.stdout) and line == result.stdout[k]:
                    kept.append((position, line))
                    k += 1
                elif line.strip(b" \t\r"):
                    raise runner.ToolFailed(f"soc-validate: line {position + 1} is neither kept nor rejected")
            if k != len(result.stdout):
                raise runner.ToolFailed("soc-validate: output does not match its input")
            state["validate"] = {"kept": kept, "rejects": rejects, "report": result.report}
            return state

        validated = runner.persist(rdd.map(local))
        self.temporary.append(validated)
        late = set()
        if checks_ids:
            ids = validated.flatMap(
                lambda state: [
                    (key, (state["index"], position))
                    for position, line in state["validate"]["kept"]
                    for key in [record_id_key(line, arguments)]
                    if key is not None
                ])
            n = rdd.getNumPartitions()
            first = ids.mapValues(lambda where: where[0]).reduceByKey(min, n)
            late = set(
                ids.join(first, n).filter(lambda kv: kv[1][0][0] > kv[1][1]).map(lambda kv: kv[1][0]).collect())
        late_ids = rdd.context.broadcast(late)

        def settle(state):
            found = state.pop("validate")
            index, report = state["index"], found["report"]
            moved = [(p, line) for p, line in found["kept"] if (index, p) in late_ids.value]
            state["records"] = [line for p, line in found["kept"] if (index, p) not in late_ids.value]
            rejects = sorted(found["rejects"] + moved)
            if moved:
                report["written"] -= len(moved)
                report["rejected"] += len(moved)
                report["reasons"]["duplicate_id"] = report["reasons"].get("duplicate_id", 0) + len(moved)
            side(state, "soc-validate", [line for _, line in rejects], [], report)
            return state

        return validated.map(settle)


# ---------------------------------------------------------------- outputs


def sum_reports(reports, tool):
    """Per-partition reports summed into the one-machine shape."""
    total = {"tool": tool}
    for name in COUNTS:
        total[name] = sum(r.get(name, 0) for r in reports)
    reasons = {}
    for report in reports:
        for code, count in report.get("reasons", {}).items():
            reasons[code] = reasons.get(code, 0) + count
    total["reasons"] = dict(sorted(reasons.items()))
    return total


def local_path(uri):
    if uri.startswith("file://"):
        return uri[len("file://"):]
    if "://" in uri:
        raise SystemExit(
            f"soc_spark: {uri}: JSONL output is written by the executors to a path they share (local or "
            "file://); for other file systems use --output-format parquet")
    return uri


def write_jsonl(final, out):
    """Each partition writes its records, rejects and removed lines (executor side)."""

    def write(state):
        name = "part-%05d.jsonl" % state["index"]
        groups = [("records", state["records"])]
        for k, s in enumerate(state["sides"], 1):
            groups.append((f"rejects/{k}-{s['tool']}", s["rejects"]))
            if s["tool"] in ("soc-dedup", "soc-filter"):
                groups.append((f"removed/{k}-{s['tool']}", s["removed"]))
        for folder, lines in groups:
            os.makedirs(os.path.join(out, folder), exist_ok=True)
            with open(os.path.join(out, folder, name), "wb") as handle:
                for line in lines:
                    handle.write(line)
                    handle.write(b"\n")
        return 0

    final.map(write).count()


def write_parquet(spark, final, out):
    from pyspark.sql.types import BinaryType, IntegerType, StringType, StructField, StructType

    records = final.flatMap(lambda state: [(line,) for line in state["records"]])
    spark.createDataFrame(records, StructType([StructField("line", BinaryType(), False)])).write.parquet(
        out + "/records.parquet")
    schema = StructType([
        StructField("stage", IntegerType(), False), StructField("tool", StringType(), False),
        StructField("line", BinaryType(), False)])
    for kind in ("rejects", "removed"):
        rows = final.flatMap(
            lambda state, kind=kind: [
                (k, s["tool"], line) for k, s in enumerate(state["sides"], 1) for line in s[kind]])
        spark.createDataFrame(rows, schema).write.parquet(f"{out}/{kind}.parquet")


def write_small(spark, uri, data):
    """Writes a small file (a report) through Hadoop's FileSystem, so any URI works."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    stream = fs.create(path, True)
    stream.write(bytearray(data))
    stream.close()


def merge_stats(spark, final, bin_dir, stats_arguments):
    """soc-stats --format json per partition, merged on the driver with soc-stats merge."""

    def stats(state):
        path = runner.find_tool("soc-stats", bin_dir)
        result = runner.run_tool(path, ["--format", "json"] + stats_arguments, state["records"], report=False)
        return b"\n".join(result.stdout)

    parts = final.map(stats).collect()
    merge = runner.find_tool("soc-stats", bin_dir)
    with tempfile.TemporaryDirectory(prefix="soc-spark-stats-") as scratch:
        names = []
        for k, data in enumerate(parts):
            names.append(os.path.join(scratch, "%05d.json" % k))
            with open(names[-1], "wb") as handle:
                handle.write(data)
        result = runner.run_tool(
            merge, ["merge"] + names + ["--format", "json"], [], rejects=False, report=False, threads=False)
    return b"\n".join(result.stdout) + b"\n"


# ---------------------------------------------------------------- main


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="soc_spark", description="Run a chain of soc tools on Spark with the bytes of a one-machine run.")
    parser.add_argument("inputs", nargs="+", help="JSONL files, globs or URIs (.gz inflated); Parquet with --input-format")
    parser.add_argument("-o", "--output", required=True, help="output folder")
    parser.add_argument("--tool", action="append", default=[], metavar="'TOOL ARGS'",
                        help="a stage of the chain, in order (soc-validate, soc-scrub, soc-dedup, soc-filter)")
    parser.add_argument("--stats", action="store_true", help="soc-stats per partition, merged into stats.json")
    parser.add_argument("--stats-args", default="", help="arguments for soc-stats (e.g. --personas FILE)")
    parser.add_argument("--partitions", type=int, default=0, help="partitions (default: Spark's parallelism)")
    parser.add_argument("--bin-dir", help="folder of the soc binaries (default: spark-submit --files, else PATH)")
    parser.add_argument("--input-format", choices=("jsonl", "parquet"), default="jsonl")
    parser.add_argument("--column", default="line", help="the Parquet column that holds the JSON text")
    parser.add_argument("--output-format", choices=("jsonl", "parquet"), default="jsonl")
    parser.add_argument("--master", help="Spark master when run with python -m (e.g. local[2])")
    parser.add_argument("--timings", action="store_true", help="wall time of each step on stderr")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="a Spark setting when run with python -m (e.g. spark.driver.memory=6g)")
    arguments = parser.parse_args(argv)
    steps = []
    for spec in arguments.tool:
        words = shlex.split(spec)
        if not words or words[0] not in TOOLS:
            parser.error(f"--tool '{spec}': the chain takes {', '.join(TOOLS)}")
        if words[0] == "soc-dedup":
            from soc_dedup_spark import split_options

            try:
                split_options(words[1:])
            except ValueError as error:
                parser.error(str(error))
        steps.append((words[0], words[1:]))
    if not steps and not arguments.stats:
        parser.error("give at least one --tool or --stats")
    for setting in arguments.conf:
        if "=" not in setting:
            parser.error(f"--conf {setting}: give KEY=VALUE")
    arguments.steps = steps
    return arguments


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    needed = sorted({tool for tool, _ in arguments.steps} | ({"soc-stats"} if arguments.stats else set()))
    try:
        for tool in needed:
            runner.find_tool(tool, arguments.bin_dir)
    except runner.ToolMissing as error:
        print(f"soc_spark: {error}", file=sys.stderr)
        return 2

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("soc_spark")
    for setting in arguments.conf:
        builder = builder.config(*setting.split("=", 1))
    if arguments.master:
        builder = builder.master(arguments.master)
        if arguments.master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers import what the driver does
    spark = builder.getOrCreate()
    here = os.path.dirname(os.path.abspath(__file__))
    for module in ("soc_spark.py", "soc_tools_runner.py", "soc_dedup_spark.py", "soc_components.py"):
        if os.path.exists(os.path.join(here, module)):
            spark.sparkContext.addPyFile(os.path.join(here, module))
    try:
        return run(spark, arguments)
    finally:
        spark.stop()


def shuffle_bytes(sc):
    """Bytes written to the shuffle by all completed stages so far, from Spark's monitoring REST
    API (the status store's own stageList takes Scala default arguments py4j cannot pass), or
    None without the UI."""
    import urllib.request

    if not sc.uiWebUrl:
        return None
    url = f"{sc.uiWebUrl}/api/v1/applications/{sc.applicationId}/stages?status=complete"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return sum(stage.get("shuffleWriteBytes", 0) for stage in json.load(response))
    except (OSError, ValueError):
        return None


def tree_cpu_seconds():
    """User + system CPU seconds of this process and its descendants (the local JVM, its Python
    workers, and, through their reaped-children times, the tools they ran), from /proc; None
    where there is no /proc. Meaningful with a local master only: executors elsewhere are not
    descendants."""
    try:
        parents, times = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a process that ended meanwhile
            parents[int(entry)] = int(fields[1])
            times[int(entry)] = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    except OSError:
        return None
    children = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    total, pending = 0, [os.getpid()]
    while pending:
        pid = pending.pop()
        total += times.get(pid, 0)
        pending += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


def run(spark, arguments):
    import time

    sc = spark.sparkContext
    partitions = arguments.partitions or sc.defaultParallelism
    clock = time.time()
    local = sc.master.startswith("local")
    cpu = tree_cpu_seconds() if local and arguments.timings else None
    shuffled = shuffle_bytes(sc)

    def lap(what):
        # With --timings: the step's wall time and the bytes its stages wrote to the shuffle; with
        # a local master also the CPU time it took (all of Spark and the tools, on this machine).
        nonlocal clock, shuffled, cpu
        if arguments.timings:
            now, total = time.time(), shuffle_bytes(sc)
            used = ""
            if cpu is not None:
                spent = tree_cpu_seconds()
                used, cpu = f", cpu {spent - cpu:.2f} s", spent
            written = "?" if total is None or shuffled is None else total - shuffled
            print(f"soc_spark: {what}: {now - clock:.2f} s, shuffle write {written} bytes{used}", file=sys.stderr)
            clock, shuffled = now, total

    state = runner.persist(read_input(spark, arguments.inputs, arguments.input_format, arguments.column, partitions))
    state.count()
    lap("read")
    dedup_steps = []
    for k, (tool, tool_arguments) in enumerate(arguments.steps, 1):
        if tool == "soc-validate":
            step = ValidateStep(tool_arguments, arguments.bin_dir)
        elif tool == "soc-dedup":
            step = DedupStep(tool_arguments, arguments.bin_dir, arguments.timings)
            dedup_steps.append((k, step))
        else:
            step = PlainStep(tool, tool_arguments, arguments.bin_dir)
        kept = runner.persist(step.apply(state))
        kept.count()
        # Two stages' data at most on the executors: the previous one is no longer read.
        for rdd in [state] + step.temporary:
            rdd.unpersist()
        state = kept
        lap(tool)

    out = arguments.output.rstrip("/")
    if arguments.output_format == "parquet":
        write_parquet(spark, state, out)
    else:
        out = local_path(out)
        os.makedirs(out, exist_ok=True)
        write_jsonl(state, out)
    lap("write")
    reports = state.map(lambda s: [side["report"] for side in s["sides"]]).collect()
    for k, (tool, _) in enumerate(arguments.steps, 1):
        total = sum_reports([partition[k - 1] for partition in reports], tool)
        write_small(spark, f"{arguments.output.rstrip('/')}/reports/{k}-{tool}.json",
                    (json.dumps(total, indent=2) + "\n").encode("utf-8"))
    for k, step in dedup_steps:
        # The global step's answer, for audit: the removal list `apply` used, and with
        # --groups components the clusters (id, reason, kept_id, similarity) in input order.
        write_small(spark, f"{arguments.output.rstrip('/')}/dedup/{k}-remove.txt", step.removal)
        if step.clusters is not None:
            write_small(spark, f"{arguments.output.rstrip('/')}/dedup/{k}-clusters.jsonl",
                        b"".join(line + b"\n" for line in step.clusters))
    if arguments.stats:
        write_small(spark, f"{arguments.output.rstrip('/')}/stats.json",
                    merge_stats(spark, state, arguments.bin_dir, shlex.split(arguments.stats_args)))
        lap("stats")
    state.unpersist()
    write_small(spark, f"{arguments.output.rstrip('/')}/_SUCCESS", b"")
    return 0


if __name__ == "__main__":
    sys.exit(main())
