"""``o2osim bench``: how fast and how lean the market runs, measured, never asserted in tests.

Each population size runs in a fresh Python process (so peak memory is that run's alone) with
the full mechanics of ``scenarios/china_2004_2020.yaml``. The report gives, per size, the time
to build the model, the time to step it, consumer-steps per second, peak resident memory and
the share of step time in each phase of the weekly tick.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from o2osim.errors import O2OError

#: Phases where consumers decide (adoption, needs, choice): the rules that the two engines
#: implement differently. Everything else (firm books, the attention market, metrics) is the
#: same code in both.
CONSUMER_PHASES = ("adoption", "needs", "choice")

#: The scenario measured unless another is given.
DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "china_2004_2020.yaml"


def measure(scenario: str | Path, consumers: int, years: int, engine: str = "vectorized") -> dict:
    """Build and run one market in this process and report its timings and memory.

    Args:
        scenario: Scenario file.
        consumers: Number of simulated consumers.
        years: Simulated years.
        engine: ``vectorized`` or ``agents``.

    Returns:
        consumers, ticks, build_s, wall_s, consumer_steps_per_s, peak_rss_mb, phase_share.
    """
    from o2osim.model import O2OMarket
    from o2osim.scenario import load_scenario

    sc = load_scenario(
        scenario,
        [f"population.consumers={consumers}", f"time.years={years}", f"engine={engine}"],
    )
    start = time.perf_counter()
    model = O2OMarket(sc)
    build = time.perf_counter() - start
    start = time.perf_counter()
    model.run()
    wall = time.perf_counter() - start
    total = sum(model.phase_seconds.values()) or 1.0
    consumer_s = sum(model.phase_seconds.get(k, 0.0) for k in CONSUMER_PHASES)
    return {
        "consumers": consumers,
        "ticks": sc.ticks,
        "engine": engine,
        "build_s": round(build, 3),
        "wall_s": round(wall, 3),
        "consumer_steps_per_s": round(consumers * sc.ticks / wall),
        "consumer_rule_steps_per_s": round(consumers * sc.ticks / max(consumer_s, 1e-9)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "phase_share": {k: round(v / total, 4) for k, v in model.phase_seconds.items()},
    }


def measure_in_fresh_process(
    scenario: str | Path, consumers: int, years: int, engine: str = "vectorized"
) -> dict:
    """Run :func:`measure` in a new Python process and return its report."""
    code = (
        "import json, sys; from o2osim.bench import measure; "
        "print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(scenario), str(consumers), str(years), engine],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise O2OError(f"bench: the run with {consumers} consumers failed: {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory_bandwidth_gb_s(megabytes: int = 256, repeats: int = 5) -> float:
    """Measured copy bandwidth of this machine: bytes read plus bytes written per second."""
    source = np.ones(megabytes * 2**20 // 8)
    target = np.empty_like(source)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(target, source)
        best = min(best, time.perf_counter() - start)
    return 2 * source.nbytes / best / 1e9


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 2**30, 1)
    except (ValueError, OSError):
        memory_gb = None
    import mesa

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "mesa": mesa.__version__,
        "platform": platform.platform(),
        "copy_bandwidth_gb_s": round(memory_bandwidth_gb_s(), 1),
    }


def run_bench(
    sizes: list[int],
    years: int,
    scenario: str | Path | None = None,
    reference_consumers: int = 10_000,
    progress: Any = None,
) -> dict[str, Any]:
    """Measure every size in a fresh process and the speed of the reference engine.

    Args:
        sizes: Population sizes.
        years: Simulated years for each size.
        scenario: Scenario file.
        reference_consumers: Population of the engine comparison (over the same years).
        progress: Optional callable taking a message, called before each run.

    Returns:
        The report: machine, runs and reference (``{"skipped": reason}`` when the scenario
        refuses the reference engine, e.g. with mechanisms only the vectorized engine has).
    """
    from o2osim.run import warn_after_horizon
    from o2osim.scenario import load_scenario

    scenario = scenario or DEFAULT_SCENARIO
    # told once here, not by every run: what is dated after the last year is not measured
    warn_after_horizon(load_scenario(scenario, [f"time.years={years}"]))
    runs = []
    for size in sizes:
        if progress:
            progress(f"{size:,} consumers x {years} years")
        runs.append(measure_in_fresh_process(scenario, size, years))
    try:  # the reference engine refuses some mechanisms: then there is nothing to compare
        load_scenario(scenario, [f"time.years={years}", "engine=agents"])
    except O2OError as exc:
        skipped = str(exc).split(": ", 1)[-1]
        return {"machine": machine(), "runs": runs, "reference": {"skipped": skipped}}
    if progress:
        progress(f"reference: both engines at {reference_consumers:,} consumers")
    fast = measure_in_fresh_process(scenario, reference_consumers, years)
    slow = measure_in_fresh_process(scenario, reference_consumers, years, "agents")
    reference = {
        "consumers": reference_consumers,
        "ticks": fast["ticks"],
        "vectorized_steps_per_s": fast["consumer_steps_per_s"],
        "agents_steps_per_s": slow["consumer_steps_per_s"],
        "ratio": round(fast["consumer_steps_per_s"] / slow["consumer_steps_per_s"], 1),
        "vectorized_rule_steps_per_s": fast["consumer_rule_steps_per_s"],
        "agents_rule_steps_per_s": slow["consumer_rule_steps_per_s"],
        "rule_ratio": round(
            fast["consumer_rule_steps_per_s"] / slow["consumer_rule_steps_per_s"], 1
        ),
    }
    return {"machine": machine(), "runs": runs, "reference": reference}


def table(report: dict[str, Any]) -> str:
    """The report as a plain-text table."""
    lines = [
        f"{'consumers':>10} {'ticks':>6} {'build s':>8} {'step s':>8} {'steps/s':>12} "
        f"{'peak MB':>8}  top phases",
    ]
    for r in report["runs"]:
        top = sorted(r["phase_share"].items(), key=lambda kv: -kv[1])[:3]
        phases = ", ".join(f"{k} {v:.0%}" for k, v in top)
        lines.append(
            f"{r['consumers']:>10,} {r['ticks']:>6} {r['build_s']:>8.2f} {r['wall_s']:>8.2f} "
            f"{r['consumer_steps_per_s']:>12.3g} {r['peak_rss_mb']:>8.0f}  {phases}"
        )
    ref = report["reference"]
    if "skipped" in ref:
        lines.append(f"reference engine not compared: the scenario refuses it ({ref['skipped']})")
    else:
        lines.append(
            f"reference at {ref['consumers']:,} consumers x {ref['ticks']} ticks: whole run "
            f"vectorized {ref['vectorized_steps_per_s']:.3g} vs per-agent Mesa "
            f"{ref['agents_steps_per_s']:.3g} steps/s ({ref['ratio']:.0f}x); consumer rules alone "
            f"{ref['vectorized_rule_steps_per_s']:.3g} vs {ref['agents_rule_steps_per_s']:.3g} "
            f"steps/s ({ref['rule_ratio']:.0f}x)"
        )
    m = report["machine"]
    lines.append(
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, copy bandwidth "
        f"{m['copy_bandwidth_gb_s']} GB/s, Python {m['python']}, numpy {m['numpy']}, "
        f"Mesa {m['mesa']}"
    )
    return "\n".join(lines)
