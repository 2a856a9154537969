"""Switch each cause of the China story off and measure what it changes, on the same seeds.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/counterfactuals.py [--scenario FILE] [--seeds 5]
        [--consumers N] [--set k=v ...] [--cause TEXT] [--workers N] [--scheduler ADDRESS]

Runs scenarios/china_2004_2020.yaml (or ``--scenario``) with and without each cause on the
same seeds (common random numbers) on the local cores (or a Dask cluster) and prints, per
cause, the median outcome with the cause and without it, the median of the paired differences
(without minus with) and on how many seeds it has that median's sign: the table in
docs/calibration.md. An
outcome is the last year's value (``last``), the sum over the years (``total``) or the mean
over 2016-2020 (``late``; a single year's traffic cost per net new buyer jumps when buyers
hardly grow) or the mean yearly change over 2016-2020 (``growth``). ``--cause`` keeps the
causes whose name contains the text; ``--set`` changes the scenario for both sides, e.g.
``--cause turning --set attention.customer_horizon=2`` measures the turning point at another
customer horizon, and ``--cause shops --scenario scenarios/china_2004_2020_no_sponsored.yaml``
many rival shops where the platforms sell no sponsored search.
The turning point is also switched off with the stores' rent and wages growing with the extra
people ("store costs held", computed from the file's values, so a ``--set`` of the stores'
cost growth does not reach that variant): what the extra people do as buyers, apart from what
they do to the stores' costs per basket.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from _runs import add_run_options, run_seeds

from o2osim import O2OError
from o2osim.mechanisms.demography import growth_gap
from o2osim.scenario import load_scenario

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "china_2004_2020.yaml"
PLATFORMS = range(3)

#: (cause switched off, overrides, outcome column, how the outcome sums the years)
TURNING_POINT = ["demography.turning_point_year=null"]


def store_costs_held(overrides: list[str], path: Path = SCENARIO) -> list[str]:
    """A demography counterfactual whose stores' rent and wages grow with its extra people.

    Without the turning point the city has up to 12.5 % more people, and the stores spread
    their rent and wages over more baskets. Raising both growth rates by the yearly rate at
    which the counterfactual's population outgrows the scenario's (from the file's values)
    holds the stores' costs per resident, and leaves only what the extra people do as buyers.
    """
    scenario = load_scenario(path)
    other = load_scenario(path, overrides=overrides)
    g = growth_gap(
        scenario.demography, other.demography, scenario.time.start_year, scenario.time.years
    )
    st = scenario.stores
    return [
        *overrides,
        f"stores.rent_growth={(1 + st.rent_growth) * (1 + g) - 1:.6f}",
        f"stores.wage_growth={(1 + st.wage_growth) * (1 + g) - 1:.6f}",
    ]


def measured(
    cause: str, overrides: list[str], outcomes: list[tuple[str, str]]
) -> list[tuple[str, list[str], str, str]]:
    """One cause's rows of :func:`causes_of`: each (outcome column, how it sums the years)."""
    return [(cause, overrides, column, how) for column, how in outcomes]


NO_PLATFORM_MARKETING = [f"platforms.{i}.base_marketing=0" for i in PLATFORMS]
#: Fewer rival shops on every platform: a shop needs twenty times the sales to stay in business.
FEWER_SHOPS = [f"platforms.{i}.shop_sales=40000000" for i in PLATFORMS]


def causes_of(path: Path) -> list[tuple[str, list[str], str, str]]:
    """Every cause's rows for the scenario file at ``path``: (cause, overrides, column, how)."""
    return [
        ("the demographic turning point", TURNING_POINT, "traffic_cost", "late"),
        ("the demographic turning point", TURNING_POINT, "cost_per_new_customer", "late"),
        # where the extra people go (docs/calibration.md, "The stage-3 chain")
        ("the demographic turning point", TURNING_POINT, "active_buyers_online", "growth"),
        ("the demographic turning point", TURNING_POINT, "marketing_spend", "late"),
        ("the demographic turning point", TURNING_POINT, "gmv_offline", "late"),
        ("the demographic turning point", TURNING_POINT, "price_store", "late"),
        ("the demographic turning point", TURNING_POINT, "gmv_online", "late"),
        ("the demographic turning point", TURNING_POINT, "online_share", "last"),
        # the same with the stores' costs per resident held (docs/calibration.md, "The stage-3
        # chain"): only what the extra people do as buyers is left
        *measured(
            "the demographic turning point, store costs held",
            store_costs_held(TURNING_POINT, path),
            [
                ("traffic_cost", "late"),
                ("cost_per_new_customer", "late"),
                ("active_buyers_online", "growth"),
                ("price_store", "late"),
                ("price_gap", "late"),
                ("online_share", "last"),
            ],
        ),
        # fewer bidders for the same attention: the platforms' own marketing leaves the auction
        *measured(
            "bidders for the same attention",
            NO_PLATFORM_MARKETING,
            [
                ("traffic_cost", "late"),
                ("cost_per_new_customer", "late"),
                ("marketing_spend", "late"),
                ("online_orders", "late"),
                ("price_online", "late"),
                ("price_store", "late"),
                ("price_gap", "late"),
                ("gmv_online", "late"),
                ("gmv_offline", "late"),
                ("online_share", "last"),
            ],
        ),
        (
            "rent and wage growth",
            ["stores.rent_growth=0", "stores.wage_growth=0"],
            "stores_open",
            "last",
        ),
        *measured(
            "counterfeits",
            [f"platforms.{i}.{f}=0" for i in PLATFORMS for f in ("counterfeit_rate", "fake_entry")],
            [("online_share", "last"), ("mean_trust_online", "last")],
        ),
        (
            "escrow and returns",
            [
                f"platforms.{i}.{f}"
                for i in PLATFORMS
                for f in ("escrow=false", "return_window_days=0")
            ],
            "online_share",
            "last",
        ),
        ("the mobile stage", ["stages.mobile_year=null"], "wom_customers", "total"),
        # the rest of the stage-3 chain's causes (docs/calibration.md, "The stage-3 chain")
        *(
            row
            for cause, overrides in (
                ("a rival platform (Pinduoduo)", ["platforms.2.launch_year=2200"]),
                ("saturation of new internet users (slower)", ["adoption.q=0.3"]),
                ("saturation (faster, adoption.q 0.7)", ["adoption.q=0.7"]),
            )
            for row in measured(
                cause,
                overrides,
                [("traffic_cost", "late"), ("price_gap", "late"), ("online_share", "last")],
            )
        ),
        # the shops bid among themselves only for sponsored search (the flagship's platforms sell
        # it); "without" is fewer shops
        *measured(
            "many rival shops",
            FEWER_SHOPS,
            [
                ("sponsored_spend", "late"),
                ("online_orders", "late"),
                ("price_online", "late"),
                ("price_gap", "late"),
                ("online_share", "last"),
            ],
        ),
    ]


def outcomes(years: pd.DataFrame, columns: set[str]) -> dict[str, float]:
    """Every outcome column's last value, total, 2016-2020 mean and mean yearly change."""
    late = years[years["year"].between(2016, 2020)]
    by_year = years.set_index("year")
    return {
        **{f"{c}:growth": float(by_year[c].diff().loc[2016:2020].mean()) for c in columns},
        **{f"{c}:last": float(years[c].iloc[-1]) for c in columns},
        **{f"{c}:total": float(years[c].sum()) for c in columns},
        **{f"{c}:late": float(late[c].mean()) for c in columns},
    }


def main() -> int:
    """Run every variant on every seed and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_options(parser)
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument("--cause", default="", help="only the causes whose name contains this")
    args = parser.parse_args()
    try:  # a bad scenario file is told in one line, as run_seeds tells a bad override
        every_cause = causes_of(args.scenario)
    except O2OError as err:
        parser.error(str(err))
    causes = [c for c in every_cause if args.cause in c[0]]
    if not causes:
        names = ", ".join(dict.fromkeys(c[0] for c in every_cause))
        parser.error(f"--cause: got {args.cause!r}, expected part of one of: {names}")
    variants = {tuple(o): list(o) for o in [[], *(o for _, o, _, _ in causes)]}
    runs = run_seeds(parser, args, args.scenario, variants)
    n = args.seeds
    columns = {column for _, _, column, _ in causes}
    per_variant = {v: [outcomes(runs[v, s], columns) for s in range(1, n + 1)] for v in variants}
    print(
        f"{'switched off':<30} {'outcome':<27} {'with the cause':>14} {'without':>10} "
        f"{'paired diff':>12} {'seeds':>6}"
    )
    for cause, overrides, column, how in causes:
        key = f"{column}:{how}"
        with_cause = [r[key] for r in per_variant[()]]
        without = [r[key] for r in per_variant[tuple(overrides)]]
        diff = np.subtract(without, with_cause)
        median = float(np.median(diff))
        agree = int(np.sum(np.sign(diff) == np.sign(median)))
        print(
            f"{cause:<30} {how + ' ' + column:<27} {np.median(with_cause):>14.4g} "
            f"{np.median(without):>10.4g} {median:>+12.4g} {f'{agree}/{n}':>6}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
