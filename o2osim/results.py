"""Result directories: tables, manifest and dashboard, written atomically.

A run writes into a hidden temporary directory beside the target and renames it into place only
when every file is complete, so an interrupted run never leaves a directory that looks finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from o2osim import plots

RESULT_FILES = ("ticks.parquet", "years.csv", "firms.parquet", "manifest.json", "dashboard.png")


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as zstd-compressed Parquet, without the pandas index."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, compression="zstd")


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
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        yield tmp
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, old / out.name)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_result_dir(
    out: Path,
    ticks: pd.DataFrame,
    years: pd.DataFrame,
    firms: pd.DataFrame,
    manifest: dict[str, Any],
    title: str,
) -> Path:
    """Write the five result files into ``out``, atomically.

    Args:
        out: Target directory; replaced if it already holds a finished result.
        ticks: Per-tick metrics.
        years: Yearly indicators.
        firms: Each firm's final state.
        manifest: Run metadata (checksums of the other files are added).
        title: Dashboard title.

    Returns:
        The target directory.
    """
    out = Path(out)
    with atomic_directory(out) as tmp:
        write_parquet(ticks, tmp / "ticks.parquet")
        years.to_csv(tmp / "years.csv", index=False, float_format="%.10g", lineterminator="\n")
        write_parquet(firms, tmp / "firms.parquet")
        plots.save_dashboard(years, tmp / "dashboard.png", title)
        manifest = dict(manifest)
        manifest["files"] = {
            name: sha256(tmp / name) for name in RESULT_FILES if name != "manifest.json"
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    return out
