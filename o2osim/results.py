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
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from o2osim import plots

RESULT_FILES = ("ticks.parquet", "years.csv", "firms.parquet", "manifest.json", "dashboard.png")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, compression="zstd")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        _write_parquet(ticks, tmp / "ticks.parquet")
        years.to_csv(tmp / "years.csv", index=False, float_format="%.10g", lineterminator="\n")
        _write_parquet(firms, tmp / "firms.parquet")
        plots.save_dashboard(years, tmp / "dashboard.png", title)
        manifest = dict(manifest)
        manifest["files"] = {
            name: _sha256(tmp / name) for name in RESULT_FILES if name != "manifest.json"
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
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
    return out
