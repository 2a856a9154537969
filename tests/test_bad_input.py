"""The bad-input corpus: every file in tests/data/bad_scenarios/ through the command line.

Each must give one line on stderr naming the file and the field path, with the expected
message, exit code 2, no traceback, and no output directory. EXPECTED.csv lists them.
"""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from o2osim.cli import main

CORPUS = Path(__file__).parent / "data" / "bad_scenarios"
with open(CORPUS / "EXPECTED.csv", newline="") as f:
    EXPECTED = list(csv.DictReader(f))


def test_the_corpus_has_forty_files_and_each_is_listed():
    files = sorted(p.name for p in CORPUS.iterdir() if p.name != "EXPECTED.csv")
    assert len(files) >= 40
    assert sorted(row["file"] for row in EXPECTED) == files


def _command(row: dict, out: Path) -> list[str]:
    return [row["command"], str(CORPUS / row["file"]), "--out", str(out)]


@pytest.mark.parametrize("row", EXPECTED, ids=[row["file"] for row in EXPECTED])
def test_bad_file_gives_one_line_and_exit_2(row, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(_command(row, out)) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    line = lines[0]
    assert line.startswith("o2osim: error: ")
    # the file named is the bad file, or for a loop of extends, the file where the loop closes
    assert Path(row["file"]).stem.rsplit("_", 1)[0] in line
    if row["field"]:
        assert f": {row['field']}: " in line
    assert row["message"] in line
    assert "Traceback" not in captured.err + captured.out
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "name",
    ["binary.yaml", "tag_python_object.yaml", "nan_value.yaml", "sweep_unknown_parameter.yaml"],
)
def test_a_real_process_exits_2_without_traceback(name, tmp_path):
    row = next(r for r in EXPECTED if r["file"] == name)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "o2osim", *_command(row, out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not out.exists()


def test_no_yaml_tag_runs_code(tmp_path):
    marker = tmp_path / "hacked"
    bad = tmp_path / "evil.yaml"
    bad.write_text(f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    assert main(["validate", str(bad)]) == 2
    assert not marker.exists()
