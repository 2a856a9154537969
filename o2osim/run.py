"""One run: scenario -> model -> :class:`Result` (tables, firms, manifest), and back to files."""

from __future__ import annotations

import platform as _platform
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from o2osim import metrics, plots, results
from o2osim._version import __version__
from o2osim.errors import HorizonNotice
from o2osim.invariants import InvariantChecker
from o2osim.model import O2OMarket
from o2osim.resources import check_memory
from o2osim.scenario import Scenario, load_scenario


@dataclass
class Result:
    """What a run produced.

    Attributes:
        scenario: The fully resolved scenario (seed included).
        ticks: One row per weekly tick.
        years: One row per simulated year.
        firms: Each firm's state at the end of the run.
        manifest: Scenario, seed, versions, git commit, start time and wall seconds.
        model: The finished model, for inspection (not saved).
    """

    scenario: Scenario
    ticks: pd.DataFrame
    years: pd.DataFrame
    firms: pd.DataFrame
    manifest: dict[str, Any]
    model: O2OMarket | None = field(default=None, repr=False)

    def save(self, out: str | Path) -> Path:
        """Write ticks.parquet, years.csv, firms.parquet, manifest.json and dashboard.png.

        Args:
            out: The result directory (written atomically).

        Returns:
            The directory.
        """
        # Drawn before anything is written: a figure that fails leaves no directory.
        figures = {"dashboard.png": plots.png(plots.dashboard(self.years, self.scenario.name))}
        return results.write_result_dir(
            Path(out), self.ticks, self.years, self.firms, self.manifest, figures
        )

    def plot(self, path: str | Path | None = None):  # noqa: ANN201 - matplotlib Figure
        """Draw the dashboard; save it to ``path`` if given.

        Returns:
            The matplotlib figure.
        """
        fig = plots.dashboard(self.years, self.scenario.name)
        if path is not None:
            fig.savefig(path, dpi=100)
        return fig


def firm_table(model: O2OMarket) -> pd.DataFrame:
    """Each firm's final state: kind, id, name, open/closed, revenue, profit and more.

    Args:
        model: A model that has run.

    Returns:
        One row per store, platform, dealer and brand.
    """
    rows: list[dict[str, Any]] = []
    for st in model.stores:
        rows.append(
            dict(
                kind="store",
                id=st.index,
                name=f"store-{st.index}",
                open=st.is_open,
                revenue=st.revenue,
                profit=st.profit,
                units=st.units_sold,
                cash=st.cash,
                x=st.x,
                y=st.y,
                closed_tick=-1 if st.closed_tick is None else st.closed_tick,
            )
        )
    for p in model.platforms:
        rows.append(
            dict(
                kind="platform",
                id=p.index,
                name=p.name,
                open=p.launched,
                revenue=p.revenue,
                profit=p.profit,
                units=p.orders,
                gmv=p.gmv,
                bad_orders=p.bad_orders,
            )
        )
    for d in model.dealers:
        rows.append(
            dict(
                kind="dealer",
                id=d.index,
                name=f"dealer-{d.index}",
                open=d.active,
                revenue=d.revenue,
                profit=d.profit,
                x=d.x,
                y=d.y,
            )
        )
    for b in model.brands:
        rows.append(
            dict(
                kind="brand",
                id=b.index,
                name=b.name,
                open=b.active,
                revenue=b.revenue_offline + b.revenue_online,
                profit=b.profit,
                revenue_offline=b.revenue_offline,
                revenue_online=b.revenue_online,
            )
        )
    columns = [
        "kind",
        "id",
        "name",
        "open",
        "revenue",
        "profit",
        "units",
        "gmv",
        "cash",
        "bad_orders",
        "revenue_offline",
        "revenue_online",
        "x",
        "y",
        "closed_tick",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for col in columns[4:]:
        frame[col] = frame[col].astype("float64")
    frame["id"] = frame["id"].astype("int64")
    frame["open"] = frame["open"].astype(bool)
    return frame


def git_commit() -> str | None:
    """The commit of the o2osim checkout, if it runs from one."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def versions() -> dict[str, str]:
    """Versions of o2osim and the libraries that decide its results."""
    return {
        "o2osim": __version__,
        "mesa": mesa.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "python": sys.version.split()[0],
        "platform": _platform.platform(),
    }


def horizon_notice(scenario: Scenario) -> str | None:
    """The one-line notice of the settings dated after the last simulated year, if any.

    Args:
        scenario: A validated scenario.

    Returns:
        e.g. ``baseline: dated after the last simulated year 2006, so not in this run:
        platforms.1.launch_year=2008``, or ``None`` when every dated setting is in the run.
    """
    late = scenario.after_horizon()
    if not late:
        return None
    fields = ", ".join(f"{path}={year}" for path, year in late)
    return (
        f"{scenario.name}: dated after the last simulated year {scenario.last_year}, "
        f"so not in this run: {fields}"
    )


def warn_after_horizon(scenario: Scenario, stacklevel: int = 2) -> None:
    """Warn (:class:`~o2osim.errors.HorizonNotice`) if settings are dated after the horizon.

    Args:
        scenario: A validated scenario.
        stacklevel: As for :func:`warnings.warn`, counted from the caller of this function.
    """
    text = horizon_notice(scenario)
    if text is not None:
        warnings.warn(text, HorizonNotice, stacklevel=stacklevel + 1)


def run(
    scenario: str | Path | dict[str, Any] | Scenario,
    seed: int | None = None,
    overrides: list[str] | None = None,
    progress: bool | None = None,
    check_invariants: bool = False,
    max_memory: int | None | str = "auto",
    notice: bool = True,
    **fields: Any,
) -> Result:
    """Run a scenario to the end.

    Settings dated after the last simulated year (a platform's launch, an event, the mobile
    stage) do not happen in the run: one :class:`~o2osim.errors.HorizonNotice` warning names
    them all.

    Args:
        scenario: A YAML path, a raw mapping or a :class:`Scenario`.
        seed: Overrides the scenario's seed.
        overrides: ``KEY=VALUE`` strings as for ``--set``.
        progress: Show a progress bar on stderr (``None``: only if the run takes over a second).
        check_invariants: Check the market's invariants after every tick
            (:mod:`o2osim.invariants`); the first broken one raises ``InvariantError``.
        max_memory: Refuse, before building, a scenario whose estimated peak memory exceeds
            this many bytes (``"auto"``: the memory available; ``None``: no check).
        notice: Warn about settings dated after the last simulated year (``False`` in the
            runs of a batch, whose command tells once per scenario).
        **fields: Overrides as keyword arguments with ``__`` for dots, e.g.
            ``population__consumers=5000``.

    Returns:
        The run's :class:`Result`.
    """
    sc = load_scenario(scenario, overrides, **fields)
    if seed is not None:
        sc = load_scenario(sc, seed=seed)
    if notice:
        warn_after_horizon(sc, stacklevel=2)
    check_memory(sc, max_memory, scenario if isinstance(scenario, str | Path) else None)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    model = O2OMarket(sc)
    bar = tqdm(
        total=sc.ticks,
        unit="week",
        desc=sc.name,
        file=sys.stderr,
        delay=0.0 if progress else 1.0,
        disable=progress is False,
        leave=False,
    )
    checker = InvariantChecker(model) if check_invariants else None

    def tick_done() -> None:
        bar.update(1)
        if checker is not None:
            checker.check()

    try:
        model.run(progress=tick_done)
    finally:
        bar.close()
    ticks = model.recorder.frame()
    manifest = {
        "scenario": sc.model_dump(mode="json"),
        "seed": sc.seed,
        "versions": versions(),
        "git_commit": git_commit(),
        "started": started.isoformat(),
        "wall_seconds": round(time.perf_counter() - clock, 3),
        "people_per_consumer": sc.population.people_per_consumer,
    }
    festival = (sc.events[0].week, sc.events[0].start_year) if sc.events else None
    years = metrics.yearly(
        ticks, model.annual, sc.population.people_per_consumer, festival, sc.sessions.mode
    )
    return Result(sc, ticks, years, firm_table(model), manifest, model)
