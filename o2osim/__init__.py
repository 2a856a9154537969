"""o2osim: an agent-based simulator of retail markets where online platforms and stores compete.

Quick use::

    import o2osim
    result = o2osim.run("scenarios/baseline.yaml", seed=1, population__consumers=5000)
    result.years.head()
    result.plot()

    comparison = o2osim.compare(["a.yaml", "b.yaml"], replicates=5)
    comparison.table
"""

from o2osim._version import __version__
from o2osim.batch.comparison import Comparison, compare
from o2osim.errors import O2OError, ScenarioError
from o2osim.model import O2OMarket
from o2osim.run import Result, run
from o2osim.scenario import Scenario, load_scenario

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
