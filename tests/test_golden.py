"""Golden outputs: each reference run still gives the results kept in ``tests/golden/``.

A refactor must not move a single figure; a change meant to move results regenerates the
files with ``make golden`` and says in its commit which change moved which figure.
"""

import pandas as pd
import pytest
from golden_cases import CASES, Case


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_run_reproduces_its_golden_tables(case: Case):
    for table, frame in case.tables().items():
        path = case.path(table)
        assert path.exists(), f"{path} missing: run `make golden`"
        golden = pd.read_csv(path)
        fresh = pd.read_csv(pd.io.common.StringIO(frame.to_csv(index=False, float_format="%.17g")))
        assert list(fresh.columns) == list(golden.columns), f"{case.name} {table}: columns"
        pd.testing.assert_frame_equal(fresh, golden, check_exact=False, rtol=1e-9, atol=1e-9)


def test_golden_cases_cover_every_scenario_file():
    from golden_cases import SCENARIOS

    covered = {c.scenario for c in CASES}
    assert covered == {p.stem for p in SCENARIOS.glob("*.yaml")}
