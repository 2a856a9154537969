"""Memory guard: estimate what a scenario needs before building it, and refuse what cannot fit.

The estimate is measured, not guessed: a tiny population of the scenario is built to learn its
bytes per consumer (columns and contacts), and the peak of a run is a multiple of that, found with
``o2osim bench`` (peak RSS 674 MB for one million consumers of the China scenario, 246 MB for
100,000): a fixed part for Python and the libraries, plus per consumer about 3.2 times the
sample's column bytes per consumer (the weekly rules' temporaries come on top of the columns)
and, when every consumer has a Mesa agent view, about 700 bytes more.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from o2osim.agents.consumers import Population
from o2osim.errors import O2OError
from o2osim.scenario import Scenario, load_scenario

#: Python, numpy, pandas, Mesa and the firms, bytes.
BASE_BYTES = 200 * 2**20
#: Peak bytes per consumer over the column bytes per consumer of the sample population
#: (measured: 474 bytes per consumer at the peak of a one-million run, 151 in the sample).
PEAK_FACTOR = 3.2
#: Bytes of one consumer's Mesa agent view (measured at 100,000 eager views).
VIEW_BYTES = 700
#: Consumers in the sample population that measures the bytes per consumer.
SAMPLE = 2000

_UNITS = {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def parse_size(text: str) -> int | None:
    """``500M``, ``8G``, ``1.5GB`` or a number of bytes; ``none`` switches the guard off.

    Raises:
        O2OError: If the text is not a size.
    """
    if text.strip().lower() in ("none", "off"):
        return None
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)(?:i?b)?\s*", text.lower())
    if not match or float(match.group(1)) <= 0:
        raise O2OError(f"--max-memory: got {text!r}, expected a size such as 500M or 8G, or none")
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def estimate_bytes(scenario: Scenario) -> int:
    """The peak memory a run of the scenario needs, bytes (an estimate, see the module notes)."""
    n = scenario.population.consumers
    sample = load_scenario(scenario, population__consumers=min(n, SAMPLE))
    pop = Population.build(sample, np.random.default_rng(0))
    per_consumer = pop.nbytes / pop.size * PEAK_FACTOR
    views = scenario.population.agent_views == "eager" or (
        scenario.population.agent_views == "auto" and n <= 100_000
    )
    return int(BASE_BYTES + n * (per_consumer + (VIEW_BYTES if views else 0)))


def available_bytes() -> int | None:
    """Memory this process can still take, bytes (``None`` where it cannot be read).

    The smaller of the machine's available memory and the room left under the container's limit.
    """
    limits = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                limits.append(int(line.split()[1]) * 1024)
    except OSError:
        pass
    try:
        cap = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = int(Path("/sys/fs/cgroup/memory.current").read_text())
        if cap.isdigit():
            limits.append(int(cap) - used)
    except (OSError, ValueError):
        pass
    return min(limits) if limits else None


def _gb(n: float) -> str:
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"


def check_memory(
    scenario: Scenario, limit: int | None | str = "auto", source: str | Path | None = None
) -> int:
    """Refuse a scenario whose estimated peak memory exceeds the limit.

    Args:
        scenario: The scenario about to be built.
        limit: Bytes; ``"auto"`` takes the memory available now; ``None`` checks nothing.
        source: The scenario file, named in the error.

    Returns:
        The estimate, bytes.

    Raises:
        O2OError: One line with the estimate and the limit, if it does not fit.
    """
    if limit is None:
        return 0
    estimate = estimate_bytes(scenario)
    cap = available_bytes() if limit == "auto" else int(limit)
    if cap is not None and estimate > cap:
        where = "available" if limit == "auto" else "allowed by --max-memory"
        raise O2OError(
            f"{source or scenario.name}: population.consumers: "
            f"{scenario.population.consumers:,} consumers need about "
            f"{_gb(estimate)} of memory, more than the {_gb(cap)} {where}; use fewer consumers "
            "or set --max-memory"
        )
    return estimate
