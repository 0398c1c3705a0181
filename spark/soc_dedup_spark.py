"""soc-dedup on Spark (executor and driver side of soc_spark).

Greedy mode (the default, the one-machine answer): `soc-dedup sign --shard K` per partition
(K = the partition index), `soc-dedup cluster` once on one executor over the signature files in
partition order (coalesce(1) keeps that order, so no signature reaches the driver), the removal
list (one short line per removed record) broadcast, and `soc-dedup apply --shard K` per partition.

Components mode (`--groups components`): see soc_components.
"""

import time

import soc_tools_runner as runner

# Options of `soc-dedup` and where they go: sign takes what a duplicate is, cluster the decision.
SIGN_OPTIONS = {"--key": 1, "--text": 1, "--id": 1, "--ngram": 1, "--num-perm": 1, "--no-exact-text": 0, "--no-near": 0}
CLUSTER_OPTIONS = {"--threshold": 1, "--fn-weight": 1, "--max-records": 1, "--groups": 1, "--bucket-window": 1}


def split_options(arguments):
    """(sign arguments, cluster arguments) from a soc-dedup argument list; raises ValueError on
    an option the staged run cannot take."""
    sign, cluster, i = [], [], 0
    while i < len(arguments):
        word = arguments[i]
        name, _, inline = word.partition("=")
        for table, target in ((SIGN_OPTIONS, sign), (CLUSTER_OPTIONS, cluster)):
            if name in table:
                takes = table[name] and not inline
                target.extend(arguments[i:i + 1 + takes])
                i += 1 + takes
                break
        else:
            raise ValueError(f"soc-dedup {word}: not available on Spark (sign takes {', '.join(SIGN_OPTIONS)}; "
                             f"cluster {', '.join(CLUSTER_OPTIONS)})")
    return sign, cluster


def option_value(arguments, name, default=None):
    for i, word in enumerate(arguments):
        if word == name and i + 1 < len(arguments):
            return arguments[i + 1]
        if word.startswith(name + "="):
            return word[len(name) + 1:]
    return default


class DedupStep:
    """The dedup stage of a soc_spark chain."""

    def __init__(self, arguments, bin_dir, timings=False):
        self.sign_arguments, self.cluster_arguments = split_options(arguments)
        self.bin_dir = bin_dir
        self.timings = timings
        self.components = option_value(self.cluster_arguments, "--groups", "greedy") == "components"
        self.removal = None  # the removal list, once computed (written beside the output)
        self.clusters = None  # with --groups components: id, reason, kept_id, similarity lines
        self.temporary = []  # RDDs persisted for this stage, released once its output is kept

    def apply(self, rdd):
        if self.components:
            import soc_components

            return soc_components.apply(self, rdd)
        return self.apply_greedy(rdd)

    def signatures(self, rdd, extra=()):
        """(partition index, signature file bytes) per partition."""
        sign_arguments, bin_dir = self.sign_arguments + list(extra), self.bin_dir

        def sign(state):
            path = runner.find_tool("soc-dedup", bin_dir)
            result = runner.run_tool(
                path, ["sign", "--shard", str(state["index"]), "-o", "{dir}/sig"] + sign_arguments,
                state["records"], report=False, extra_files=("sig",))
            return state["index"], result.files["sig"]

        return rdd.map(sign)

    def apply_greedy(self, rdd):
        cluster_arguments, bin_dir = self.cluster_arguments, self.bin_dir
        started = time.time()
        signatures = self.signatures(rdd)

        def cluster(items):
            path = runner.find_tool("soc-dedup", bin_dir)
            files, names = {}, []
            for index, data in items:  # in partition order: coalesce(1) concatenates them in order
                names.append(f"{{dir}}/{index}.sig")
                files[f"{index}.sig"] = data
            result = runner.run_tool(
                path, ["cluster"] + names + ["-o", "{dir}/remove"] + cluster_arguments, [], rejects=False,
                report=False, threads=False, input_files=files, extra_files=("remove",))
            yield result.files["remove"]

        removal = signatures.coalesce(1).mapPartitions(cluster).collect()[0]
        if self.timings:
            import sys

            print(f"soc_spark: dedup sign+cluster: {time.time() - started:.2f} s, removal list "
                  f"{len(removal)} bytes", file=sys.stderr)
        self.removal = removal
        return self.apply_removals(rdd, removal)

    def apply_removals(self, rdd, removal):
        """`soc-dedup apply --shard K` per partition with the removal list (broadcast)."""
        shared = rdd.context.broadcast(removal)
        bin_dir = self.bin_dir

        def apply(state):
            path = runner.find_tool("soc-dedup", bin_dir)
            result = runner.run_tool(
                path, ["apply", "--shard", str(state["index"]), "--remove", "{dir}/remove"], state["records"],
                removed=True, input_files={"remove": shared.value})
            state["records"] = result.stdout
            state["sides"].append(
                {"tool": "soc-dedup", "rejects": result.rejects, "removed": result.removed, "report": result.report})
            return state

        return rdd.map(apply)
