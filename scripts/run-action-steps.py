#!/usr/bin/env python3
"""Runs the steps of a composite action (action.yml) the way a GitHub runner does, here.

GitHub cannot be reached from the test machine, so ActionStepsTests runs the action's own steps
with this: each `run:` step through `bash --noprofile --norc -eo pipefail`, in order, with its
`env:` and `if:` expressions evaluated over the inputs, `github.*`, `runner.*` and the outputs
of earlier steps (GITHUB_OUTPUT), and the folders steps add to GITHUB_PATH on PATH for the
steps after them. `uses: actions/cache` is emulated: a hit when --cache-hit is given.

  scripts/run-action-steps.py ACTION_YML --input name=value ... [--cache-hit] [--tool-cache DIR]

Prints each step's name, then `outputs: {json}`; exits with the failing step's status.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action")
    parser.add_argument("--input", action="append", default=[])
    parser.add_argument("--cache-hit", action="store_true")
    parser.add_argument("--tool-cache", default=None)
    parser.add_argument("--action-repository", default="example/soc-tools")
    args = parser.parse_args()

    with open(args.action, encoding="utf-8") as f:
        action = yaml.safe_load(f)
    assert action["runs"]["using"] == "composite", "not a composite action"

    inputs = {name: str(spec.get("default", "")) for name, spec in action.get("inputs", {}).items()}
    for item in args.input:
        name, _, value = item.partition("=")
        if name not in inputs:
            sys.exit(f"run-action-steps: no input named {name!r} in {args.action}")
        inputs[name] = value
    for name, spec in action.get("inputs", {}).items():
        if spec.get("required") and not inputs[name]:
            sys.exit(f"run-action-steps: input {name!r} is required")

    work = tempfile.mkdtemp(prefix="run-action-")
    context = {
        "inputs": inputs,
        "github": {"action_repository": args.action_repository, "workspace": os.getcwd()},
        "runner": {"tool_cache": args.tool_cache or os.path.join(work, "tool-cache"), "temp": work, "os": "Linux"},
        "steps": {},
    }
    path_additions = []

    def lookup(expression):
        parts = expression.split(".")
        value = context
        for part in parts:
            if not isinstance(value, dict) or part not in value:
                return ""
            value = value[part]
        return value if isinstance(value, str) else ""

    def evaluate(expression):
        """The subset of GitHub's expression language the action uses: names, 'strings', ==, != and &&."""
        expression = EXPRESSION.sub(lambda m: m.group(1), expression).strip()
        if "&&" in expression:
            return all(evaluate(part) for part in expression.split("&&"))
        match = re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", expression)
        if match:
            left, op, right = (term(match.group(1)), match.group(2), term(match.group(3)))
            return (left == right) if op == "==" else (left != right)
        return bool(term(expression))

    def term(text):
        text = text.strip()
        if len(text) >= 2 and text[0] == text[-1] == "'":
            return text[1:-1]
        return lookup(text)

    def substitute(text):
        return EXPRESSION.sub(lambda m: str(term(m.group(1))), str(text))

    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name") or step.get("id") or step.get("uses") or f"step {index}"
        step_id = step.get("id", f"__{index}")
        if "if" in step and not evaluate(str(step["if"])):
            print(f"step skipped: {name}", flush=True)
            continue
        print(f"step: {name}", flush=True)
        if "uses" in step:
            if not step["uses"].startswith("actions/cache@"):
                sys.exit(f"run-action-steps: cannot emulate {step['uses']}")
            context["steps"][step_id] = {"outputs": {"cache-hit": "true" if args.cache_hit else "false"}}
            continue
        output_file = os.path.join(work, f"output-{index}")
        path_file = os.path.join(work, f"path-{index}")
        open(output_file, "w").close()
        open(path_file, "w").close()
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join(path_additions + [env.get("PATH", "")])
        env["GITHUB_OUTPUT"] = output_file
        env["GITHUB_PATH"] = path_file
        env["RUNNER_TEMP"] = work
        for key, value in (step.get("env") or {}).items():
            env[key] = substitute(value)
        status = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], env=env
        ).returncode
        outputs = {}
        with open(output_file, encoding="utf-8") as f:
            for line in f.read().splitlines():
                key, _, value = line.partition("=")
                if key:
                    outputs[key] = value
        context["steps"][step_id] = {"outputs": outputs}
        with open(path_file, encoding="utf-8") as f:
            path_additions = [p for p in f.read().splitlines() if p][::-1] + path_additions
        if status != 0:
            print(f"step failed: {name} (status {status})", flush=True)
            sys.exit(status)
    results = {key: substitute(spec["value"]) for key, spec in (action.get("outputs") or {}).items()}
    print("outputs: " + json.dumps(results, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
