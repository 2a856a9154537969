"""The README's Python example runs as written."""

import re

import matplotlib
from conftest import ROOT

matplotlib.use("Agg")


def test_readme_python_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "the README has a Python example"
    monkeypatch.chdir(ROOT)
    code = blocks[0].replace('result.save("out/mine")', f'result.save("{tmp_path}/mine")')
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert (tmp_path / "mine" / "years.csv").exists()
    assert namespace["consumer"].age >= 15
    # the batch run's repeats are seeded runs (the form Mesa 3.3 and 3.5 both take)
    assert sorted(r["seed"] for r in namespace["rows"]) == [1, 1, 2, 2]
    stores = namespace["comparison"].table.loc[("stores_open", "final")]
    # one price everywhere keeps more stores than selling online 15% cheaper
    assert stores["channel_one_price - brand_channels", "mean"] > 0
