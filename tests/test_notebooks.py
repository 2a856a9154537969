"""Every teaching notebook runs top to bottom (small populations), committed without outputs."""

import importlib.util

import nbformat
import pytest
from conftest import ROOT

pytest.importorskip("nbclient", reason="the dev extra (nbclient) is not installed")
pytest.importorskip("o2osim.viz", reason="the viz extra (solara) is not installed")

spec = importlib.util.spec_from_file_location(
    "run_notebooks", ROOT / "experiments" / "run_notebooks.py"
)
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)

#: Small values for each notebook's parameters cell, so the suite stays fast.
SMALL = {
    "01_tour.ipynb": {"CONSUMERS": 2000},
    "02_why_traffic_got_expensive.ipynb": {"CONSUMERS": 1500, "REPLICATES": 2},
    "03_channel_conflict.ipynb": {"CONSUMERS": 1500, "REPLICATES": 2},
    "04_trust_and_reputation.ipynb": {"CONSUMERS": 1500, "REPLICATES": 2},
    "05_sweeps.ipynb": {"CONSUMERS": 500, "SAMPLES": 4},
    "06_waited_then_poured.ipynb": {"CONSUMERS": 1500, "SEEDS": [1, 2]},
    "07_validation.ipynb": {"CONSUMERS": 1500, "SEEDS": [1, 2]},
}


def test_the_seven_notebooks_are_there():
    assert sorted(p.name for p in run_notebooks.NOTEBOOKS) == sorted(SMALL)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_notebook_is_committed_without_outputs(name):
    book = nbformat.read(ROOT / "experiments" / name, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1


@pytest.mark.parametrize("name", sorted(SMALL))
def test_notebook_runs_top_to_bottom(name, tmp_path):
    values = dict(SMALL[name])
    if name == "05_sweeps.ipynb":
        values["OUT"] = str(tmp_path / "sweep")
    executed = tmp_path / name
    run_notebooks.execute(ROOT / "experiments" / name, values, timeout=300, save=executed)
    book = nbformat.read(executed, as_version=4)
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert figures, "the story is told with plots"


def test_set_parameters_refuses_an_unknown_name():
    book = nbformat.read(ROOT / "experiments" / "01_tour.ipynb", as_version=4)
    with pytest.raises(KeyError, match="NOT_THERE"):
        run_notebooks.set_parameters(book, {"NOT_THERE": 1})
