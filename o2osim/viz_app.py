"""The dashboard as a Solara app, for ``o2osim viz`` (``solara run o2osim.viz_app``).

The scenario file and the number of consumers come from the environment variables
``O2OSIM_VIZ_SCENARIO`` and ``O2OSIM_VIZ_CONSUMERS``, which ``o2osim viz`` sets. Every browser
tab gets a market of its own.
"""

import os
from typing import Any

import solara

from o2osim.viz import dashboard


@solara.component
def Page() -> Any:
    """One visitor's dashboard, built when the page is opened."""
    return dashboard(
        os.environ.get("O2OSIM_VIZ_SCENARIO", "scenarios/china_2004_2020.yaml"),
        consumers=int(os.environ.get("O2OSIM_VIZ_CONSUMERS", "5000")),
    )
