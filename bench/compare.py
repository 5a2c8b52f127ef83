"""Run a benchmark script once per database and print its page medians side by side.

Used by `bench/dashboard.py --compare URL [URL ...]`: each run is a child process with its own
DATABASE_URL (or DATA_DIR for `sqlite:PATH`, the folder holding leadsite.sqlite3) that writes
{"leads": N, "medians": {label: ms}} to a temporary JSON file.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def _environment(url: str) -> dict:
    environment = dict(os.environ)
    if url.startswith("sqlite:"):
        environment.pop("DATABASE_URL", None)
        environment["DATA_DIR"] = url.removeprefix("sqlite:")
    else:
        environment["DATABASE_URL"] = url
    return environment


def _child_arguments(argv: list[str]) -> list[str]:
    """The parent's arguments without --compare and its URLs."""
    arguments, skipping = [], False
    for argument in argv:
        if argument == "--compare":
            skipping = True
        elif skipping and not argument.startswith("--"):
            continue
        else:
            skipping = False
            arguments.append(argument)
    return arguments


def compare_databases(*, script: str, urls: list[str], argv: list[str]) -> int:
    results = []
    for url in urls:
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "medians.json"
            command = [sys.executable, script, *_child_arguments(argv), "--json", str(output)]
            print(f"=== {url}", flush=True)
            completed = subprocess.run(command, env=_environment(url), check=False)
            if completed.returncode != 0 or not output.exists():
                print(f"The run against {url} failed (exit {completed.returncode}).")
                return 1
            results.append((url, json.loads(output.read_text())))
    labels = list(results[0][1]["medians"])
    header = "".join(f"{result['leads']:>14,} leads" for _, result in results)
    print(f"\nPage median (ms) side by side\n{'scenario':<64}{header}")
    for label in labels:
        cells = "".join(f"{result['medians'].get(label, float('nan')):>20.1f}" for _, result in results)
        print(f"{label[:63]:<64}{cells}")
    return 0
