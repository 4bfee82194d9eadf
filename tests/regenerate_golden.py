"""Write the `removed` lists of the golden fixtures from what the cleaner now removes.

The golden tests (tests/test_fixtures.py, tests/test_html_fixtures.py) compare each fixture's
record with its `NAME.expected.json`: the hand-written fields (text, title, authors, ...) and
`removed`, every line the cleaner took out with the exact code that took it out. Only `removed`
is generated, and only by running this script with `--write`, after reading the differences it
prints without it:

    python tests/regenerate_golden.py            # list the fixtures whose `removed` differs
    python tests/regenerate_golden.py --write    # rewrite those fixtures' `removed`

The hand-written fields are never touched; a fixture whose record does not match them is named,
so that a regression is not written into the golden files by accident.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cleaner.pipeline.cleaner import Cleaner
from helpers import (
    HTML_GOLDEN,
    TEXT_GOLDEN,
    clean_golden,
    expected_path,
    fixture_id,
    read_expected,
    removed_lines,
)


def dump(expected: dict) -> str:
    """The expected file: two-space JSON as the hand-written fields are kept, with one removed
    line per line of the file so that a change of code or line shows as a one-line diff."""
    fields = {key: value for key, value in expected.items() if key != "removed"}
    head = json.dumps(fields, indent=2, ensure_ascii=False)[: -len("\n}")]
    entries = [json.dumps(entry, ensure_ascii=False) for entry in expected.get("removed", [])]
    body = "[\n" + ",\n".join(f"    {entry}" for entry in entries) + "\n  ]" if entries else "[]"
    return f'{head},\n  "removed": {body}\n}}\n'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the differing `removed`")
    args = parser.parse_args(argv)
    cleaner = Cleaner()
    differing = 0
    for document in [*TEXT_GOLDEN, *HTML_GOLDEN]:
        expected = read_expected(document)
        record = clean_golden(cleaner, document)
        mismatched = [
            key for key in expected if key != "removed" and record.get(key) != expected[key]
        ]
        if mismatched:
            print(f"{fixture_id(document)}: the record differs in {', '.join(mismatched)}")
        wanted = removed_lines(record)
        if expected.get("removed") == wanted:
            continue
        differing += 1
        old = dump(expected).splitlines()
        new = dump({**expected, "removed": wanted}).splitlines()
        path = str(expected_path(document))
        sys.stdout.writelines(
            line + "\n" for line in difflib.unified_diff(old, new, path, path, lineterm="")
        )
        if args.write:
            expected_path(document).write_text(dump({**expected, "removed": wanted}), "utf-8")
    verb = "rewritten" if args.write else "differ (run with --write to rewrite them)"
    print(f"{differing} golden files {verb}.")
    return 1 if differing and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
