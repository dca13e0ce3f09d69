#!/usr/bin/env python3
"""The ETL's progress bar: drawn on stderr when stderr is a terminal (a real
pseudo-terminal here), absent when it is not.

usage: progress_bar.py MARQUEE WORK_DIR
"""
import os
import pty
import subprocess
import sys


def run_with_terminal_stderr(argv):
    """Runs argv with stderr on a pseudo-terminal; returns (exit code, what it drew)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=terminal)
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the terminal's last writer is gone
            break
        if not chunk:
            break
        drawn += chunk
    os.close(controller)
    return process.wait(), drawn.decode("utf-8", "replace")


def main():
    marquee, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "movies.csv")
    subprocess.run([marquee, "generate", "--movies", "20000", "--seed", "3", "--out", data],
                   check=True, stdout=subprocess.DEVNULL)
    size = os.path.getsize(data)

    code, drawn = run_with_terminal_stderr([marquee, "etl", data, "--out", os.path.join(work, "tty")])
    failures = []
    if code != 0:
        failures.append(f"etl with a terminal exited {code}")
    if "100%]" not in drawn.replace(" ", "") and "] 100%" not in drawn:
        failures.append(f"no bar reaching 100% on the terminal; drew {drawn[-200:]!r}")
    if "[" + "#" * 40 + "]" not in drawn:
        failures.append("the bar never fills its 40 cells")

    plain = subprocess.run([marquee, "etl", data, "--out", os.path.join(work, "pipe")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if plain.returncode != 0:
        failures.append(f"etl without a terminal exited {plain.returncode}")
    if plain.stderr:
        failures.append(f"stderr not a terminal, yet it got {plain.stderr[:200]!r}")

    for failure in failures:
        print("FAIL:", failure)
    if failures:
        return 1
    print(f"ok: bar drawn on a terminal ({size} bytes of input), nothing on a pipe")
    return 0


if __name__ == "__main__":
    sys.exit(main())
