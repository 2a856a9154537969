"""o2osim: an agent-based simulator of retail markets where online platforms and stores compete.

Quick use::

    import o2osim
    result = o2osim.run("scenarios/baseline.yaml", seed=1, population__consumers=5000)
    result.years.head()
    result.plot()

    comparison = o2osim.compare(["a.yaml", "b.yaml"], replicates=5)
    comparison.table
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("o2osim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from o2osim.batch.comparison import Comparison, compare  # noqa: E402
from o2osim.errors import O2OError, ScenarioError  # noqa: E402
from o2osim.model import O2OMarket  # noqa: E402
from o2osim.run import Result, run  # noqa: E402
from o2osim.scenario import Scenario, load_scenario  # noqa: E402

__all__ = [
    "Comparison",
    "O2OError",
    "O2OMarket",
    "Result",
    "Scenario",
    "ScenarioError",
    "__version__",
    "compare",
    "load_scenario",
    "run",
]
