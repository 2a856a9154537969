"""Result directories: tables, figures and a manifest of checksums, written atomically.

A run writes into a hidden temporary directory beside the target and renames it into place only
when every file is complete, so an interrupted run never leaves a directory that looks finished.
This module writes and checks files only; figures come drawn, as PNG bytes, from the caller
(:meth:`o2osim.run.Result.save` draws the dashboard with :mod:`o2osim.plots`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from o2osim.errors import O2OError

#: The tables of a run's result directory, in the order the manifest lists them.
TABLE_FILES = ("ticks.parquet", "years.csv", "firms.parquet")

#: Every file of a run's result directory (``dashboard.png`` is drawn by the caller).
RESULT_FILES = (*TABLE_FILES, "manifest.json", "dashboard.png")


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as zstd-compressed Parquet, without the pandas index."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, compression="zstd")


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: to ``.<name>.tmp``, then renamed."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all (:func:`write_bytes`)."""
    write_bytes(path, text.encode("utf-8"))


def sha256(path: Path) -> str:
    """The SHA-256 hex digest of a file, as recorded in manifests."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def atomic_directory(out: Path) -> Iterator[Path]:
    """A temporary directory beside ``out`` that replaces ``out`` when the block succeeds.

    Write every file into the yielded directory. If the block raises (or is interrupted), the
    temporary directory is removed and ``out`` is left as it was.

    Args:
        out: Target directory; an existing one is replaced as a whole.

    Yields:
        The temporary directory to write into.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-{os.getpid()}-", dir=out.parent))
    try:
        yield tmp
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
            os.replace(out, old / out.name)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_leftovers(out: Path) -> list[Path]:
    """Remove the temporary directories of runs into ``out`` that were killed part way.

    A killed run cannot clean up after itself; its ``.NAME.partial-PID-*`` directory is removed
    here once no process ``PID`` is alive (a run still writing keeps its own).

    Returns:
        The directories removed.
    """
    removed = []
    for kind in ("partial", "old"):
        for leftover in out.parent.glob(f".{out.name}.{kind}-*"):
            pid = leftover.name.removeprefix(f".{out.name}.{kind}-").split("-", 1)[0]
            if leftover.is_dir() and pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(leftover, ignore_errors=True)
                removed.append(leftover)
    return removed


def verify(out: Path) -> list[str]:
    """Check a result directory against the checksums its manifest records.

    Args:
        out: A directory written by ``o2osim run`` (or :meth:`o2osim.Result.save`).

    Returns:
        The names of the files checked, all intact.

    Raises:
        O2OError: If the directory, its manifest or a file is missing, or a file's SHA-256
            differs from the manifest's: one line naming the first such file.
    """
    out = Path(out)
    manifest_path = out / "manifest.json"
    if not out.is_dir():
        raise O2OError(f"{out}: expected a result directory (not found)")
    if not manifest_path.is_file():
        raise O2OError(f"{out}: expected a result directory with manifest.json (none there)")
    try:
        files = json.loads(manifest_path.read_text())["files"]
    except (ValueError, KeyError, TypeError):
        raise O2OError(f"{manifest_path}: expected a manifest with file checksums") from None
    for name, digest in files.items():
        path = out / name
        if Path(name).name != name:
            raise O2OError(f"{manifest_path}: files: got {name!r}, expected a file name")
        if not path.is_file():
            raise O2OError(f"{path}: missing (the manifest records it)")
        if sha256(path) != digest:
            raise O2OError(f"{path}: checksum differs from the manifest (changed or damaged)")
    return list(files)


def write_result_dir(
    out: Path,
    ticks: pd.DataFrame,
    years: pd.DataFrame,
    firms: pd.DataFrame,
    manifest: dict[str, Any],
    figures: Mapping[str, bytes],
) -> Path:
    """Write the tables, the figures and the manifest into ``out``, atomically.

    Args:
        out: Target directory; replaced if it already holds a finished result.
        ticks: Per-tick metrics.
        years: Yearly indicators.
        firms: Each firm's final state.
        manifest: Run metadata (checksums of the other files are added, tables then figures).
        figures: Drawn figures, file name -> PNG bytes (a run gives ``dashboard.png``).

    Returns:
        The target directory.

    Raises:
        ValueError: If a figure's name is not a plain file name or is taken by another file.
    """
    out = Path(out)
    for name in figures:
        if Path(name).name != name or name in (*TABLE_FILES, "manifest.json"):
            raise ValueError(f"figure {name!r}: expected a file name no other result file has")
    with atomic_directory(out) as tmp:
        write_parquet(ticks, tmp / "ticks.parquet")
        years.to_csv(tmp / "years.csv", index=False, float_format="%.10g", lineterminator="\n")
        write_parquet(firms, tmp / "firms.parquet")
        for name, png in figures.items():
            (tmp / name).write_bytes(png)
        manifest = dict(manifest)
        manifest["files"] = {name: sha256(tmp / name) for name in (*TABLE_FILES, *figures)}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    return out
