"""Time the pre-commit check hook's command over 1,000 text articles.

    python bench/precommit.py [--files 1000] [--fix]

Writes the files to a temporary folder (the project's text fixtures and seeds, cycled, each copy
in its own folder as an article repository would hold them), then runs the hook's `entry` from
`.pre-commit-hooks.yaml` on all of them twice: as one process, and the way pre-commit runs a
hook, the file list split across one process per CPU core. Prints the wall-clock seconds of
each. `--fix` times the fixing hook instead (on fresh copies each run). Target: under 10 s.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "fixtures" / "text").glob("*/*.txt"), *(ROOT / "seeds").glob("*.txt")])


def hook_command(hook_id: str) -> list[str]:
    """The hook's entry, with `clean-news` resolved to this interpreter's installed script."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = shlex.split(next(hook["entry"] for hook in hooks if hook["id"] == hook_id))
    script = Path(sys.executable).with_name(entry[0])
    program = [str(script)] if script.exists() else [sys.executable, "-m", "cleaner"]
    return program + entry[1:]


def write_articles(folder: Path, count: int) -> list[str]:
    """`count` text files, relative to `folder`, as pre-commit would pass them."""
    names = []
    for index in range(count):
        source = SOURCES[index % len(SOURCES)]
        name = f"{index // 100:02d}/{index:04d}_{source.name}"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / name)
        names.append(name)
    return names


def timed(command: list[str], names: list[str], folder: Path, processes: int) -> float:
    """Seconds to run the command over the files split into `processes` parallel runs."""
    chunks = [names[start::processes] for start in range(processes)]
    started = time.perf_counter()
    running = [
        subprocess.Popen([*command, *chunk], cwd=folder, stdout=subprocess.DEVNULL)
        for chunk in chunks
        if chunk
    ]
    codes = [process.wait() for process in running]
    elapsed = time.perf_counter() - started
    if any(code not in (0, 1) for code in codes):
        raise SystemExit(f"the hook failed with exit status {codes}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--fix", action="store_true", help="time the fixing hook instead")
    args = parser.parse_args()
    hook_id = "clean-news-fix" if args.fix else "clean-news-check"
    command = hook_command(hook_id)
    cores = os.cpu_count() or 1
    print(f"{hook_id}: `{shlex.join(command)}` over {args.files} text files")
    for label, processes in (("one process", 1), (f"{cores} processes, as pre-commit", cores)):
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            names = write_articles(folder, args.files)
            seconds = timed(command, names, folder, processes)
        per_file = 1000 * seconds / args.files
        print(f"  {label:<28} {seconds:6.2f} s  ({per_file:.1f} ms per file)")


if __name__ == "__main__":
    main()
