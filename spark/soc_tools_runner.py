"""Runs one soc tool over one partition's lines, as bytes, in a subprocess (executor side).

Why not RDD.pipe: it is text-only (decodes strictly, so invalid UTF-8 fails the task), splits
on \\r as well as \\n, and ignores the exit status. Here the lines go to the tool's stdin as
bytes joined by \\n, stdout is split on \\n only, and the tool's --rejects / --removed /
--report files are read back, so every line ends where the one-machine run puts it.
"""

import json
import os
import shutil
import subprocess
import tempfile


def persist(rdd):
    """rdd kept in memory, spilling to local disk what does not fit: a partition that a plain
    cache() (memory only) cannot hold would be recomputed from its lineage at every later use,
    i.e. every earlier step's tools run again for it (at 100k chats and more, on any executor
    memory smaller than the data)."""
    from pyspark import StorageLevel

    return rdd.persist(StorageLevel.MEMORY_AND_DISK)


class ToolMissing(RuntimeError):
    """A soc tool that is neither in --bin-dir, nor shipped with --files, nor on PATH."""


class ToolFailed(RuntimeError):
    """A soc tool that exited with a status the pipeline cannot continue from."""


def find_tool(name, bin_dir=None):
    """The path of tool `name`: in `bin_dir` when given, else shipped with spark-submit --files
    (SparkFiles), else on PATH. Raises ToolMissing naming the tool and where it looked."""
    looked = []
    if bin_dir:
        path = os.path.join(bin_dir, name)
        if os.access(path, os.X_OK):
            return path
        looked.append(path)
    else:
        try:
            from pyspark import SparkFiles

            path = os.path.join(SparkFiles.getRootDirectory(), name)
            if os.path.isfile(path):
                if not os.access(path, os.X_OK):
                    os.chmod(path, 0o755)  # --files does not always keep the mode
                return path
            looked.append(path)
        except Exception:  # no SparkContext here: PATH only
            pass
        path = shutil.which(name)
        if path:
            return path
        looked.append("PATH")
    raise ToolMissing(
        f"{name}: not found (looked in {', '.join(looked)}); give --bin-dir, ship the binary with "
        f"spark-submit --files, or put it on PATH")


def task_cpus():
    """The CPUs this Spark task may use (spark.task.cpus), 1 outside a task."""
    try:
        from pyspark import TaskContext

        context = TaskContext.get()
        if context is not None:
            return max(1, int(context.cpus()))
    except Exception:
        pass
    return 1


def read_lines(path):
    """The lines of a file as bytes, split on \\n (or \\r\\n) only, as the tools split them; a final line without \\n counts."""
    with open(path, "rb") as handle:
        return split_lines(handle.read())


def split_lines(data):
    """The lines of `data` as the tools split them: on \\n only, a \\r before it dropped, a final
    line without \\n kept."""
    if not data:
        return []
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    # As the tools read lines: a \r before the \n is part of the line ending (a \r elsewhere stays).
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


class ToolRun:
    """One run of a tool: its stdout lines, rejected and removed lines, and report."""

    def __init__(self, stdout, rejects, removed, report, files):
        self.stdout = stdout
        self.rejects = rejects
        self.removed = removed
        self.report = report
        self.files = files


def run_tool(path, arguments, lines, rejects=True, removed=False, report=True, extra_files=(),
             threads=True, stdout_file=None, input_files=None):
    """Runs `path arguments...` with `lines` (bytes, without \\n) on stdin.

    `rejects` / `removed` / `report`: pass --rejects / --removed / --report and read them back.
    `input_files`: name -> bytes written into the scratch folder first (referred to as
    `{dir}/name`). `extra_files`: names of further output files the caller puts in `arguments` as
    `{dir}/name` (the placeholder `{dir}` is replaced by the scratch folder); their bytes are
    returned in `files`. A status other than 0 (or 1 with rejects kept, which cannot happen
    without --strict) raises ToolFailed with the tool's stderr."""
    with tempfile.TemporaryDirectory(prefix="soc-spark-") as scratch:
        for name, data in (input_files or {}).items():
            with open(os.path.join(scratch, name), "wb") as handle:
                handle.write(data)
        argv = [path] + [a.replace("{dir}", scratch) for a in arguments]
        if threads:
            argv += ["--threads", str(task_cpus())]
        if rejects:
            argv += ["--rejects", os.path.join(scratch, "rejects")]
        if removed:
            argv += ["--removed", os.path.join(scratch, "removed")]
        if report:
            argv += ["--report", os.path.join(scratch, "report")]
        stdin_path = os.path.join(scratch, "stdin")
        with open(stdin_path, "wb") as handle:
            for line in lines:
                handle.write(line)
                handle.write(b"\n")
        out_path = stdout_file or os.path.join(scratch, "stdout")
        with open(stdin_path, "rb") as stdin, open(out_path, "wb") as stdout:
            result = subprocess.run(argv, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            tail = "; ".join(message[-5:])
            raise ToolFailed(f"{os.path.basename(path)} exited with status {result.returncode}: {tail}")

        def lines_of(name, wanted):
            file = os.path.join(scratch, name)
            return read_lines(file) if wanted and os.path.exists(file) else []

        report_json = None
        if report:
            with open(os.path.join(scratch, "report"), "rb") as handle:
                report_json = json.loads(handle.read())
        files = {}
        for name in extra_files:
            file = os.path.join(scratch, name)
            if os.path.exists(file):
                with open(file, "rb") as handle:
                    files[name] = handle.read()
        stdout_lines = [] if stdout_file else read_lines(out_path)
        return ToolRun(stdout_lines, lines_of("rejects", rejects), lines_of("removed", removed), report_json, files)
