"""Same scenario and seed, same bytes; another seed, another market."""

from conftest import BASELINE, SMALL

import o2osim


def test_same_seed_gives_identical_files(tmp_path):
    first = o2osim.run(BASELINE, seed=3, overrides=SMALL, progress=False).save(tmp_path / "a")
    second = o2osim.run(BASELINE, seed=3, overrides=SMALL, progress=False).save(tmp_path / "b")
    for name in ("ticks.parquet", "years.csv", "firms.parquet"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_different_seeds_give_different_results():
    a = o2osim.run(BASELINE, seed=1, overrides=SMALL, progress=False)
    b = o2osim.run(BASELINE, seed=2, overrides=SMALL, progress=False)
    assert not a.years.equals(b.years)
