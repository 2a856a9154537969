"""Compare every strategy lever in scenarios/ with its reference: the tables of docs/strategies.md.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/strategy_library.py [--replicates 5] [--set k=v ...] [--only L ...]

Runs `o2osim compare` for each lever against its reference on the same seeds, writes each
comparison to out/strategies/<lever>/ (table, figure, runs) and prints, per lever, the key
outcomes as a Markdown table: mean over replicates, and the paired difference with its 95%
interval.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import o2osim
from o2osim.batch.comparison import OVER, _number
from o2osim.units import unit

ROOT = Path(__file__).resolve().parents[1]
S = ROOT / "scenarios"

FLOWS = [
    ("online_share", "final"),
    ("stores_open", "final"),
    ("dealers_active", "final"),
    ("store_profit", "cumulative"),
    ("dealer_profit", "cumulative"),
    ("brand_profit_online_Acme", "cumulative"),
    ("brand_profit_offline_Acme", "cumulative"),
]

#: (lever, reference and lever files, outcomes shown beyond FLOWS)
LEVERS = [
    ("one_price", ["brand_channels", "channel_one_price"], []),
    ("product_split", ["brand_channels", "channel_product_split"], []),
    ("customer_split", ["brand_channels", "channel_customer_split"], []),
    ("order_size_split", ["brand_channels", "channel_order_size_split"], []),
    ("transaction_link_split", ["brand_channels", "channel_transaction_link_split"], []),
    (
        "brand_split",
        ["brand_channels", "channel_brand_split"],
        [("brand_sales_online_Acme", "cumulative"), ("brand_awareness_Acme", "final")],
    ),
    ("region_split", ["brand_channels", "channel_region_split"], []),
    (
        "membership",
        ["brand_channels", "membership_separate", "membership_integrated"],
        [
            ("brand_wallet_share_Acme", "mean"),
            ("brand_members_Acme", "final"),
            ("brand_sales_online_Acme", "cumulative"),
            ("brand_sales_offline_Acme", "cumulative"),
        ],
    ),
    (
        "fan_economy",
        ["brand_channels", "fan_economy"],
        [
            ("brand_traffic_cost_Acme", "mean"),
            ("brand_new_customers_Acme", "cumulative"),
            ("brand_users_Acme", "final"),
            ("brand_fans_Acme", "final"),
            ("brand_partners_Acme", "final"),
        ],
    ),
    (
        "conduct",
        ["brand_channels", "brand_conduct"],
        [
            ("brand_wallet_share_Acme", "mean"),
            ("brand_members_Acme", "final"),
            ("brand_fans_Acme", "final"),
        ],
    ),
    (
        "c2b",
        ["brand_channels", "c2b_customization"],
        [
            ("c2b_share_JD", "final"),
            ("c2b_mismatch_JD", "final"),
            ("platform_profit_JD", "cumulative"),
            ("brand_sales_online_Acme", "cumulative"),
        ],
    ),
    (
        "reputation",
        ["reputation_none", "reputation_investment"],
        [
            ("mean_trust_online", "final"),
            ("platform_gmv_Taobao", "cumulative"),
            ("platform_profit_Taobao", "cumulative"),
        ],
    ),
]


def section(comparison: o2osim.Comparison, rows: list[tuple[str, str]]) -> str:
    """A Markdown table of the chosen outcomes: means, and paired differences with intervals."""
    table = comparison.table
    groups = list(dict.fromkeys(table.columns.get_level_values("group")))
    lines = ["| outcome | unit | " + " | ".join(groups) + " |", "|:--|:--|" + "--:|" * len(groups)]
    for outcome, over in rows:
        if (outcome, over) not in table.index:
            continue
        row = table.loc[(outcome, over)]
        cells = []
        for group in groups:
            cell = _number(row[group, "mean"])
            if " - " in group:
                cell += f" [{_number(row[group, 'low'])}, {_number(row[group, 'high'])}]"
            cells.append(cell)
        lines.append(f"| {outcome}, {OVER[over]} | {unit(outcome)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    """Run every comparison and print the Markdown sections."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--only", nargs="*", help="levers to run (default: all)")
    args = parser.parse_args()
    for lever, files, extra in LEVERS:
        if args.only and lever not in args.only:
            continue
        comparison = o2osim.compare(
            [S / f"{name}.yaml" for name in files],
            replicates=args.replicates,
            overrides=args.overrides,
            progress=False,
        )
        comparison.save(ROOT / "out" / "strategies" / lever)
        print(f"### {lever}\n\n{section(comparison, FLOWS + extra)}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
