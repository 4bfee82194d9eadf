"""Usage errors: one line, status 2, nothing written; outputs never overlap the inputs; the
output format from the `-o` suffix; help without Python type names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import ARTICLE, SEEDS, records, run


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A folder of two seed articles and a nested copy, as a user's corpus."""
    folder = tmp_path / "news"
    (folder / "sub" / "sub").mkdir(parents=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    (folder / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "sub" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def one_line_usage_error(result, message: str) -> None:
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("clean-news: error: "), stderr
    assert message in stderr, stderr
    assert "Traceback" not in stderr and "╭" not in stderr


# (arguments, with {news} for the corpus folder and {tmp} for its parent; the error's words)
OVERLAPS = [
    (["{news}", "--format", "txt", "-o", "{news}"], "would overwrite the input {news}/"),
    (["{news}/sub", "--format", "md", "-o", "{news}"], "inside the input folder"),
    (["{news}/sub/a.txt", "--format", "jsonl", "-o", "{news}/sub/a.txt"], "is also an input"),
    (["{news}", "--format", "json", "-o", "{news}/sub/a.txt"], "is an input file of {news}"),
    (["{news}", "-o", "{tmp}/out.jsonl", "--summary-json", "{news}/sub/a.txt"], "is an input"),
    (["{news}", "--executor", "dask", "-o", "{news}"], "the output folder {news} holds the input"),
    (["learn", "{news}", "-o", "{news}/sub/a.txt"], "is an input file of {news}"),
    (["report", "{news}/sub/a.txt", "-o", "{news}/sub/a.txt"], "is also an input"),
]


@pytest.mark.parametrize(("args", "message"), OVERLAPS)
def test_an_output_that_overlaps_an_input_is_refused_before_anything_is_written(
    news, args, message
):
    tmp = news.parent
    before = snapshot(tmp)
    fill = {"news": str(news), "tmp": str(tmp)}
    result = run(*(arg.format(**fill) for arg in args))
    one_line_usage_error(result, message.format(**fill))
    assert snapshot(tmp) == before


def test_the_walk_never_reads_the_runs_own_output(news):
    """Files this run writes inside the walked folder are not read back as inputs while the
    walk goes on: text files in a folder there, or records in a file with an input's suffix."""
    out = news / "clean"
    result = run("-q", "--format", "txt", "-o", str(out), str(news))
    assert result.returncode == 0, result.stderr
    inputs = sorted(p.relative_to(news) for p in news.rglob("*.txt") if out not in p.parents)
    written = sorted(p.relative_to(out) for p in out.rglob("*.txt"))
    assert written == [p.with_suffix(".txt") for p in inputs]
    shutil.rmtree(out)
    target = news / "new.txt"  # sorted after the other inputs: the walk reaches it last
    result = run("-q", "--format", "jsonl", "-o", str(target), str(news))
    assert result.returncode == 0, result.stderr
    paths = [record["path"] for record in records(target.read_bytes())]
    assert paths == [p.as_posix() for p in inputs]


def test_a_named_file_whose_text_output_would_replace_it_is_refused(news):
    """A file argument keeps its path under the output folder: `news/sub/a.txt` with `-o .`
    from news's parent would be written over itself."""
    before = snapshot(news.parent)
    result = run("--format", "txt", "-o", ".", "news/sub/a.txt", cwd=news.parent)
    one_line_usage_error(result, "news/sub/a.txt would overwrite the input news/sub/a.txt")
    assert snapshot(news.parent) == before


def test_a_text_output_folder_that_holds_the_inputs_without_overlap_is_fine(news):
    """`clean-news news/ --format md -o .` from news's parent: the files land beside `news/`."""
    result = run("-q", "--format", "md", "-o", str(news.parent), str(news))
    assert result.returncode == 0, result.stderr
    assert (news.parent / "sub" / "sub" / "b.md").is_file()


def test_an_output_inside_the_walked_folder_is_skipped_by_the_walk(news):
    """Run twice with the same output folder inside the walked one: the second walk finds the
    first run's files there and must not take them for inputs."""
    out = news / "sub" / "md"
    for _ in range(2):
        result = run("-q", "--format", "md", "-o", str(out), str(news / "sub"))
        assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == [
        "a.md",
        "sub/b.md",
    ]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("out.jsonl", "jsonl"),
        ("out.ndjson", "jsonl"),
        ("out.json", "json"),
        ("out.parquet", "parquet"),
    ],
)
def test_the_output_format_follows_the_suffix(tmp_path, name, fmt):
    target = tmp_path / name
    result = run("-q", "-o", str(target), str(SEEDS))
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    if fmt == "jsonl":
        assert len(records(data)) == 2
    elif fmt == "json":
        assert len(json.loads(data)) == 2
    else:
        assert data.startswith(b"PAR1")


USAGE_ERRORS = [
    (["--format", "json", "-o", "{tmp}/out.parquet", "seeds"], "--format json contradicts -o"),
    (["--format", "txt", "-o", "{tmp}/out.jsonl", "seeds"], "--format txt contradicts -o"),
    (["--format", "md", "-o", "{tmp}/out.md", "seeds"], "give -o FOLDER"),
    (["-o", "{tmp}/out.txt", "seeds"], "give --format txt -o FOLDER"),
    (["--executor", "dask", "-o", "{tmp}/out.jsonl", "seeds"], "give -o FOLDER"),
    (["--format", "pdf", "seeds"], "--format must be one of"),
    (["--input-format", "pdf", "seeds"], "--input-format must be one of"),
    (["no/such/folder"], "no such file or folder: no/such/folder"),
    (["--jobs", "-1", "seeds"], "--jobs must be 0"),
    (["--jobs", "x", "seeds"], "Invalid value for '--jobs'"),
    (["--max-bytes", "0", "seeds"], "--max-bytes must be positive"),
    (["--resume", "seeds"], "--resume needs --format jsonl and -o FILE"),
    (["--scheduler", "tcp://x:1", "seeds"], "--scheduler needs --executor dask"),
    (["--executor", "ray", "seeds"], "--executor must be one of"),
    (["--format", "txt", "seeds"], "--format txt needs -o FOLDER"),
    (["--select", "NOPE42", "seeds"], "unknown rule code or prefix 'NOPE42'"),
    (["--rules", "no/such/rules", "seeds"], "no/such/rules: no such rule file or folder"),
    (["--rules", "{tmp}", "seeds"], "no rule packs (*.yaml, *.yml) in this folder"),
    (["--learn", "-"], "cannot read '-'"),
    (["--nope", "seeds"], "No such option: --nope"),
    (["--format"], "requires an argument"),
    (["chek", "seeds"], "unknown command 'chek'; did you mean 'check'?"),
    (["lern", "seeds"], "did you mean 'learn'?"),
    (["check"], "Missing argument"),
    (["check", "--fix", "--diff", "seeds"], "--fix and --diff do not combine"),
    (["check", "--diff", "--output-format", "json", "seeds"], "--diff prints a diff"),
    (["check", "--output-format", "xml", "seeds"], "--output-format must be text or json"),
    (["check", "-"], "check reads files, not stdin"),
    (["check", "--fxi", "seeds"], "No such option: --fxi"),
    (["rule"], "Missing argument 'CODE'"),
    (["rule", "NOPE42"], "unknown rule code 'NOPE42'"),
    (["rules", "--test", "no/such/pack"], "no/such/pack: no such rule file or folder"),
    (["learn", "-"], "learn needs documents from files or folders"),
    (["learn", "--min-docs", "0", "seeds"], "--min-docs"),
    (["report", "seeds/x.jsonl"], "Missing option '-o'"),
    (["report", "no/such.jsonl", "-o", "{tmp}/r.html"], "cannot read no/such.jsonl"),
]


@pytest.mark.parametrize(
    ("args", "message"), USAGE_ERRORS, ids=lambda v: " ".join(v) if isinstance(v, list) else None
)
def test_every_usage_error_is_one_line_with_status_2(tmp_path, args, message):
    result = run(*(arg.format(tmp=tmp_path) for arg in args))
    one_line_usage_error(result, message)
    assert result.stdout == b""
    assert [p for p in tmp_path.iterdir()] == []


def test_a_bad_code_in_pyproject_names_the_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clean-news]\nignore = ["NOPE42"]\n', encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("check", str(tmp_path / "a.txt"))
    one_line_usage_error(
        result, f"{tmp_path / 'pyproject.toml'}: unknown rule code or prefix 'NOPE42'"
    )


@pytest.mark.parametrize("command", ["clean", "check", "learn", "report", "rule", "rules"])
def test_help_shows_no_python_type_names(command):
    result = run(command, "--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    for internal in ("<bool>", "<list[str]>", "<str>", "<int>", "<path>", "<Path>"):
        assert internal not in text, (command, internal)


def test_no_arguments_shows_the_help():
    result = run()
    assert result.returncode == 0
    assert b"clean-news PATH" in result.stdout


def test_one_document_is_singular(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run(str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.jsonl"))
    assert result.returncode == 0
    assert result.stderr.decode().startswith("1 document: 1 cleaned, 0 failed")


def test_check_says_a_refused_html_page_was_not_checked(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Hello.</p></body></html>", encoding="utf-8")
    result = run("check", str(page))
    assert result.returncode == 1
    assert (
        result.stderr.decode() == f"{page}: an HTML page, not checked: check works on text files\n"
    )
    assert result.stdout.decode() == "No debris found in 0 files (1 file could not be checked).\n"
    assert "No debris found in 1 file" not in result.stdout.decode()


def test_a_write_error_names_the_target_not_the_temporary_file(tmp_path):
    """A name that leaves no room for the temporary file's longer one: creating the temporary
    file fails, and the error names the output asked for."""
    target = tmp_path / ("o" * 240 + ".parquet")
    result = run("-q", "-o", str(target), str(SEEDS))
    one_line_usage_error(result, f"cannot write {target}: File name too long")
    assert ".tmp" not in result.stderr.decode()
