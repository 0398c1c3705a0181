#!/usr/bin/env python3
"""Thread scaling of every soc-tool, and the four-stage pipe against its stages one by one.

  bench/threads.py BIN_DIR FILE [--pairs N]

For each tool: `--threads 2` against `--threads 1` as the median of N paired runs (the order
alternates within each pair, so drift in the machine's load hits both sides alike), wall and CPU
(user+sys) time both; then each tool's wall time against soc-filter's (the median of the
ratios within each round: every round runs every tool once, so both sides of a ratio ran within
seconds of each other); then
`validate | scrub | dedup | filter` against the four stages run one after the other (each reading
the previous stage's output from a file). Prints Markdown. FILE should be >= 75 MB.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def run(cmd, stdin=None, stdout=subprocess.DEVNULL, shell=False):
    """Wall and CPU seconds (user+sys of the children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as source:
        done = subprocess.run(cmd, stdin=source, stdout=stdout, stderr=subprocess.DEVNULL, shell=shell,
                              executable="/bin/bash" if shell else None)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"failed ({done.returncode}): {cmd}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def steal_jiffies():
    """The machine's stolen CPU time so far (jiffies, all CPUs): time a virtual CPU was ready to run
    but the host ran something else. Zero on bare metal."""
    with open("/proc/stat") as stat:
        fields = stat.readline().split()
    return int(fields[8]) if len(fields) > 8 else 0


SPIN = [sys.executable, "-c", "s = 0\nfor i in range(4_000_000): s += i"]


def machine_capacity(pairs):
    """How many CPUs' worth of work the machine gives two busy processes right now: one fixed-work
    process alone against two of them at once, paired and alternated like the tools. 2.0 on two idle
    cores; less when the host steals CPU time. It bounds any tool's 2-thread speed-up in this run."""
    def one():
        start = time.perf_counter()
        subprocess.run(SPIN, check=True)
        return time.perf_counter() - start

    def two():
        start = time.perf_counter()
        procs = [subprocess.Popen(SPIN) for _ in range(2)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start

    ratios = []
    for k in range(pairs):
        if k % 2 == 0:
            a, b = one(), two()
        else:
            b, a = two(), one()
        ratios.append(2 * a / b)
    return statistics.median(ratios)


def tool_command(bin_dir, tool, threads, data):
    base = [os.path.join(bin_dir, f"soc-{tool}"), "--threads", str(threads)]
    extra = {"filter": ["--min-turns", "4"], "validate": [], "scrub": [], "dedup": [], "stats": ["--format", "json"]}[tool]
    return base + extra + ["--rejects", "/dev/null", data]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("data")
    ap.add_argument("--pairs", type=int, default=5)
    args = ap.parse_args()
    size_mb = os.path.getsize(args.data) / 1e6
    tools = ["filter", "validate", "scrub", "dedup", "stats"]

    print(f"File: {os.path.basename(args.data)}, {size_mb:.0f} MB; {os.cpu_count()} CPUs; "
          f"median of {args.pairs} paired, alternating runs.\n")
    print("| tool | wall 1 thread (s) | wall 2 threads (s) | speed-up (wall) | CPU 1 (s) | CPU 2 (s) | MB/s at 2 | × soc-filter's time |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    capacity_before = machine_capacity(args.pairs)
    stolen, spent = 0, 0.0
    # Round-robin: every round runs each tool's pair (order alternating within the pair) and the
    # tools in a rotating order, so each tool's time against soc-filter's is a ratio of runs made
    # within seconds of each other (the VM's speed drifts by up to half between minutes).
    got = {tool: {1: [], 2: []} for tool in tools}
    for k in range(args.pairs):
        for tool in tools[k % len(tools):] + tools[:k % len(tools)]:
            for n in ([1, 2] if k % 2 == 0 else [2, 1]):
                before = steal_jiffies()
                result = run(tool_command(args.bin, tool, n, args.data))
                stolen += steal_jiffies() - before
                spent += result[0] * (os.cpu_count() or 1)
                got[tool][n].append(result)
    for tool in tools:
        ones, twos = got[tool][1], got[tool][2]
        w1 = statistics.median(w for w, _ in ones)
        w2 = statistics.median(w for w, _ in twos)
        c1 = statistics.median(c for _, c in ones)
        c2 = statistics.median(c for _, c in twos)
        speedup = statistics.median(one[0] / two[0] for one, two in zip(ones, twos))
        # The median of the per-round ratios at 2 threads.
        against_filter = statistics.median(two[0] / f[0] for two, f in zip(twos, got["filter"][2]))
        rows.append((tool, w1, w2, speedup, c1, c2, against_filter))
    for tool, w1, w2, ratio, c1, c2, against_filter in rows:
        print(f"| soc-{tool} | {w1:.2f} | {w2:.2f} | {ratio:.2f}x | {c1:.2f} | {c2:.2f} | {size_mb / w2:.0f} | "
              f"{against_filter:.2f} |")
    capacity_after = machine_capacity(args.pairs)
    hz = os.sysconf("SC_CLK_TCK")
    print(f"\nThe machine during these runs: {100 * stolen / hz / spent:.0f}% of its CPU time was stolen by the host"
          f" (/proc/stat steal); two fixed-work processes ran {capacity_before:.2f}x (before the tools) and"
          f" {capacity_after:.2f}x (after) as fast as one, which bounds every 2-thread speed-up above"
          f" (2.00x on two idle cores).")

    # The pipe against its stages run one after the other.
    b = args.bin
    with tempfile.TemporaryDirectory(prefix="soc-threads-") as scratch:
        v, s, d = (os.path.join(scratch, n) for n in ("v.jsonl", "s.jsonl", "d.jsonl"))
        stages = [
            (f"{b}/soc-validate --rejects /dev/null {args.data} > {v}"),
            (f"{b}/soc-scrub --rejects /dev/null {v} > {s}"),
            (f"{b}/soc-dedup --rejects /dev/null {s} > {d}"),
            (f"{b}/soc-filter --min-turns 4 --rejects /dev/null {d} > /dev/null"),
        ]
        pipe = (f"{b}/soc-validate --rejects /dev/null {args.data} | {b}/soc-scrub --rejects /dev/null"
                f" | {b}/soc-dedup --rejects /dev/null | {b}/soc-filter --min-turns 4 --rejects /dev/null > /dev/null")
        sums, pipes, ratios = [], [], []
        for k in range(args.pairs):
            order = ["sum", "pipe"] if k % 2 == 0 else ["pipe", "sum"]
            got = {}
            for what in order:
                if what == "sum":
                    parts = [run(cmd, shell=True) for cmd in stages]
                    got[what] = (sum(w for w, _ in parts), sum(c for _, c in parts))
                else:
                    got[what] = run(pipe, shell=True)
            sums.append(got["sum"])
            pipes.append(got["pipe"])
            ratios.append(got["pipe"][0] / got["sum"][0])
        print()
        print("| validate → scrub → dedup → filter | wall (s) | CPU (s) |")
        print("|---|---:|---:|")
        print(f"| four stages one after the other | {statistics.median(w for w, _ in sums):.2f} | {statistics.median(c for _, c in sums):.2f} |")
        print(f"| one pipe | {statistics.median(w for w, _ in pipes):.2f} | {statistics.median(c for _, c in pipes):.2f} |")
        print(f"\nPipe / one after the other (wall, median of paired ratios): {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
