"""Fuzz the text and HTML paths of `Cleaner.clean` with atheris (libFuzzer) for a bounded time.

    pip install atheris
    python bench/fuzz.py --seconds 600            # both paths, the fixtures as seed corpus
    python bench/fuzz.py --seconds 600 --max-len 4096   # smaller inputs, more of them
    python bench/fuzz.py crash-1234abcd           # replay one input

The working corpus lives in `--corpus` (default: clean-news-fuzz in the temporary folder) and
grows from run to run.

The first byte of an input picks the path (even: text, odd: HTML), the rest is the document.
A finding is an `internal error` record (an exception inside `Cleaner.clean`), a text document
whose lines are not each either kept or removed, or an input slower than `--input-timeout`
seconds. libFuzzer writes a finding to `crash-*` / `timeout-*` in the current folder; keep it,
without its first byte, as `fixtures/hostile/NAME.txt` or `.html`: tests/test_hostile.py
replays every file there.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["cleaner"]):
    from cleaner.model import SourceDocument
    from cleaner.pipeline.cleaner import INTERNAL_ERROR, Cleaner
    from cleaner.pipeline.decode import DecodeError, decode_bytes

ROOT = Path(__file__).resolve().parent.parent
DICTIONARY = Path(__file__).with_name("fuzz.dict")
SEED_GLOBS = ("fixtures/text/*/*.txt", "fixtures/html/*/*.html", "fixtures/hostile/*", "seeds/*")

_cleaner = Cleaner()


def check_one_input(data: bytes) -> None:
    """Clean one fuzzed document and check what every record must satisfy."""
    if not data:
        return
    html = data[0] % 2 == 1
    payload = data[1:]
    source = SourceDocument(
        "fuzz.html" if html else "fuzz.txt", payload, "html" if html else "text"
    )
    record = _cleaner.clean(source)
    assert not (record["error"] or "").startswith(INTERNAL_ERROR), record["error"]
    assert isinstance(record["text"], str)
    if html or record["error"]:
        return
    try:
        text = decode_bytes(payload)
    except DecodeError:
        raise AssertionError("decoded in clean() but not again") from None
    article = _cleaner.clean_text(text)
    kept = {line.number for line in article.body_lines()}
    removed = set(article.verdicts)
    assert not kept & removed, "a line both kept and removed"
    assert kept | removed == {line.number for line in article.lines}, "a line lost"


def seed_corpus(folder: Path) -> None:
    """The fixtures and seeds, each as a text input and as an HTML input."""
    for pattern in SEED_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                data = path.read_bytes()
                (folder / f"t-{path.name}").write_bytes(b"\x00" + data)
                (folder / f"h-{path.name}").write_bytes(b"\x01" + data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=600, help="total fuzzing time")
    parser.add_argument("--input-timeout", type=int, default=30, help="seconds per input")
    parser.add_argument("--max-len", type=int, default=65536, help="largest input in bytes")
    parser.add_argument("--jobs", type=int, default=1, help="parallel fuzzing processes")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(tempfile.gettempdir()) / "clean-news-fuzz",
        help="the working corpus, kept between runs (seeded from the fixtures)",
    )
    parser.add_argument("inputs", nargs="*", help="replay these inputs instead of fuzzing")
    args, extra = parser.parse_known_args()
    if args.inputs:
        for name in args.inputs:
            check_one_input(Path(name).read_bytes())
            print(f"{name}: ok")
        return
    args.corpus.mkdir(parents=True, exist_ok=True)
    seed_corpus(args.corpus)
    flags = [
        f"-max_total_time={args.seconds}",
        f"-timeout={args.input_timeout}",
        f"-max_len={args.max_len}",
        "-rss_limit_mb=4096",
        "-print_final_stats=1",
        f"-dict={DICTIONARY}",
    ]
    if args.jobs > 1:
        flags += [f"-jobs={args.jobs}", f"-workers={args.jobs}"]
    atheris.Setup([sys.argv[0], *flags, *extra, str(args.corpus)], check_one_input)
    atheris.Fuzz()  # exits the process when the time is up or on a finding


if __name__ == "__main__":
    main()
