"""The ``o2osim`` command line.

Subcommands: run, compare, sweep, sensitivity, plot, calibrate, validate, verify, viz, schema
and bench.

Every user error (bad file, bad field, bad override) is printed as one line on stderr and exits
with code 2, before anything is written. Settings dated after the last simulated year are not an
error: when the command is done, one ``o2osim: note:`` line on stderr per scenario names them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from o2osim._version import __version__
from o2osim.errors import HorizonNotice, O2OError

EXIT_USAGE = 2
EXIT_INVARIANT = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def _add_execution(parser: argparse.ArgumentParser) -> None:
    """Where a batch of runs executes (--workers or --scheduler), and --quiet."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="local worker processes (default: one per core)",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on an existing Dask cluster, e.g. tcp://host:8786, instead of local workers",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _execution(args: argparse.Namespace) -> dict[str, Any]:
    """The keywords of a batch call from ``_add_execution``'s options."""
    return {
        "workers": args.workers,
        "scheduler": args.scheduler,
        "progress": None if not args.quiet else False,
    }


def _at_least_two(text: str) -> int:
    """A whole number of runs from 2 (``--uncertainty``)."""
    if not text.isdigit() or int(text) < 2:
        raise argparse.ArgumentTypeError(f"got {text!r}, expected a whole number from 2")
    return int(text)


def _step(text: str) -> float:
    """A share of a parameter's range above 0 and at most 0.5 (``--step``)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 < value <= 0.5:
        raise argparse.ArgumentTypeError(f"got {text!r}, expected a number above 0, at most 0.5")
    return value


def _add_overrides(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario field by dotted path, e.g. platforms.0.commission=0.08 "
        "(repeatable)",
    )


def _keep_notes(show: Callable[..., Any], notes: list[str]) -> Callable[..., Any]:
    """A ``warnings.showwarning`` that keeps each distinct :class:`HorizonNotice` in ``notes``.

    Other warnings go to ``show`` as before.
    """

    def showwarning(message: Warning | str, category: type[Warning], *rest: Any) -> None:
        if not issubclass(category, HorizonNotice):
            show(message, category, *rest)
        elif str(message) not in notes:
            notes.append(str(message))

    return showwarning


def _note_sweep(sweep: Any) -> None:
    """Tell what is dated after the horizon in a sweep's runs, once per distinct scenario."""
    from o2osim.run import warn_after_horizon
    from o2osim.scenario import affects_horizon, load_scenario

    if sweep.spec.model != "o2osim":
        return

    def value(name: str, v: float) -> int | float:  # as each run rounds it
        return int(round(v)) if name in sweep.integer else float(v)

    # only these parameters move dates or the horizon; the others leave the base's dates
    dated = [name for name in sweep.spec.parameters if affects_horizon(name)]
    points = {
        tuple(value(n, v) for n, v in zip(dated, row, strict=True))
        for row in sweep.points[dated].itertuples(index=False)
    }
    for point in sorted(points or {()}):
        overrides = [f"{n}={v}" for n, v in zip(dated, point, strict=True)]
        warn_after_horizon(load_scenario(sweep.base, overrides))


def _cmd_run(args: argparse.Namespace) -> int:
    from o2osim.resources import check_memory, parse_size
    from o2osim.run import run
    from o2osim.scenario import load_scenario

    scenario = load_scenario(args.scenario, args.overrides)
    if args.seed is not None:
        scenario = load_scenario(scenario, seed=args.seed)
    out = Path(args.out) if args.out else Path("out") / Path(args.scenario).stem
    if out.exists() and not out.is_dir():
        raise O2OError(f"--out: {out} exists and is not a directory")
    limit = "auto" if args.max_memory is None else parse_size(args.max_memory)
    check_memory(scenario, limit, args.scenario)  # before anything is built or written
    result = run(
        scenario,
        progress=None if not args.quiet else False,
        check_invariants=args.check_invariants,
        max_memory=None,
    )
    result.save(out)
    last = result.years.iloc[-1]
    print(
        f"{scenario.name}: {scenario.time.years} years x {scenario.population.consumers:,} "
        f"consumers, seed {scenario.seed}, {result.manifest['wall_seconds']:.1f} s"
    )
    print(
        f"  {int(last['year'])}: online share {last['online_share']:.1%}, "
        f"stores open {int(last['stores_open'])}"
    )
    print(f"results:   {out}/ (ticks.parquet, years.csv, firms.parquet, manifest.json)")
    print(f"dashboard: {out / 'dashboard.png'}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from o2osim.batch.comparison import compare, resolve
    from o2osim.run import warn_after_horizon

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise O2OError(f"--out: {out} exists and is not a directory")
    for scenario in resolve(args.scenarios, args.replicates, args.overrides)[1].values():
        warn_after_horizon(scenario)  # once per scenario, not per replicate
    result = compare(
        args.scenarios,
        replicates=args.replicates,
        overrides=args.overrides,
        **_execution(args),
    )
    result.save(out)
    seeds = result.seeds
    print(
        f"{len(result.labels)} scenarios x {len(seeds)} replicates, seeds {seeds[0]}..{seeds[-1]} "
        f"(common to all), {result.manifest['wall_seconds']:.1f} s"
    )
    print(f"table:  {out / 'compare.md'} (and compare.csv)")
    print(f"figure: {out / 'compare.png'}")
    print(f"runs:   {out / 'runs.parquet'}, {out / 'compare.json'}")
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    from o2osim.batch.sweep import load_sweep, run_sweep

    sweep = load_sweep(args.spec, args.overrides)  # every check before anything is written
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise O2OError(f"--out: {out} exists and is not a directory")
    _note_sweep(sweep)
    try:
        report = run_sweep(sweep, out, **_execution(args), retry_failed=args.retry_failed)
    except KeyboardInterrupt:
        print(
            f"o2osim: interrupted; finished runs are saved in {out}: run the same command to "
            "finish the sweep",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    print(
        f"{report.runs} runs: {report.done} done now, {report.earlier} earlier, "
        f"{report.failed} failed now, {report.seconds:.1f} s"
    )
    print(f"results:  {out / 'results'}  (pandas.read_parquet('{out / 'results'}'))")
    if report.failed or (out / "failures").exists():
        print(f"failures: {out / 'failures'}")
    return 0


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from o2osim.batch.sensitivity import save, sensitivity

    table = sensitivity(args.dir, args.metrics or None, args.over, args.facts or None)
    out = Path(args.out) if args.out else Path(args.dir) / "sensitivity"
    save(table, out)
    a = table.attrs
    nf = len(a["facts"])
    n, d = table["metric"].nunique() - nf, table["parameter"].nunique()
    what = [f"{n} metric{'s' * (n != 1)}"] * bool(n) + [f"{nf} fact{'s' * (nf != 1)}"] * bool(nf)
    print(
        f"{a['design']} indices of {' and '.join(what)} x {d} parameters from "
        f"{a['points']} points, {a['runs']} runs"
    )
    print(f"table:  {out / 'sensitivity.md'} (and sensitivity.csv)")
    print(f"figure: {out / 'sensitivity.png'}")
    return 0


def _cmd_plot(args: argparse.Namespace) -> int:
    from o2osim import plots
    from o2osim.batch.sweepdir import read_sweep
    from o2osim.metrics import check_over
    from o2osim.results import write_bytes

    sweep = read_sweep(args.dir)
    check_over(args.over)
    if args.bins < 1:
        raise O2OError(f"--bins: got {args.bins}, expected at least 1")
    params, metrics = sweep.parameters, sweep.metrics
    wanted = [("--x", args.x, params), ("--y", args.y, params if args.z else metrics)]
    if args.z:
        wanted.append(("--z", args.z, metrics))
    for flag, name, known in wanted:
        if name not in known:
            kind = "parameter" if known is params else "metric"
            raise O2OError(
                f"{flag}: got {name!r}, expected a {kind} of the sweep ({', '.join(known)})"
            )
    if args.z and args.x == args.y:
        raise O2OError(f"--y: got {args.y!r}, expected a parameter other than --x")
    if sweep.results.empty:
        raise O2OError(f"{args.dir}: no finished runs yet; run o2osim sweep first")
    name = f"heat_{args.z}_{args.x}_{args.y}.png" if args.z else f"plot_{args.y}_{args.x}.png"
    out = Path(args.out) if args.out else Path(args.dir) / name
    if out.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise O2OError(f"--out: got {str(out)!r}, expected a .png, .pdf or .svg file")
    exact = sweep.design == "grid"  # a grid's values are its cells; other designs are binned
    if args.z:
        fig = plots.sweep_heatmap(
            sweep.results, args.x, args.y, args.z, args.over, bins=args.bins, exact=exact
        )
    else:
        fig = plots.sweep_line(
            sweep.results, args.x, args.y, args.over, bins=args.bins, exact=exact
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(out, plots.encoded(fig, out.suffix[1:].lower()))  # whole or not at all
    print(f"figure: {out}")
    return 0


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from o2osim.batch.calibration import calibrate, errors_table, load_spec
    from o2osim.run import warn_after_horizon

    if args.bands and not args.uncertainty:
        raise O2OError(f"--bands: {args.bands} needs --uncertainty R (the draws come from it)")
    spec = load_spec(args.spec, args.overrides)  # every check before anything runs
    out = Path(args.out) if args.out else Path("out") / Path(args.spec).stem
    if out.exists() and not out.is_dir():
        raise O2OError(f"--out: {out} exists and is not a directory")
    warn_after_horizon(spec.scenario)
    result = calibrate(
        spec,
        **_execution(args),
    )
    result.save(out)
    m = result.manifest
    print(
        f"{len(result.history)} evaluations x {len(spec.seeds)} replicates "
        f"({m['runs']} runs), {m['optimizer']['nit']} generations, {m['wall_seconds']:.1f} s"
    )
    fitted = ", ".join(f"{k}={v:.4g}" for k, v in result.best.items())
    print(f"best: {fitted} (distance {result.distance:.4g})")
    if spec.fit_until is not None or not spec.not_fitted.empty:
        print("errors at the fit, by series and set:")
        print(errors_table(result.errors))
    print(f"scenario: {out / 'calibrated.yaml'}")
    print(f"figure:   {out / 'calibration.png'}")
    print(f"history:  {out / 'history.csv'}, {out / 'calibration.json'}")
    print(f"errors:   {out / 'errors.csv'}")
    if args.uncertainty:
        from o2osim.batch.uncertainty import uncertainty

        found = uncertainty(
            spec,
            result.best,
            replicates=args.uncertainty,
            step=args.step,
            **_execution(args),
        )
        found.save(out)
        print("uncertainty at the fit (delta method, 95% intervals):")
        print(found.table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        for a, b, r in found.trade_offs:
            print(f"  {a} and {b} trade off (correlation {r:+.2f})")
        print(f"uncertainty: {out / 'uncertainty.csv'}, {out / 'uncertainty.json'}")
        if args.bands:
            from o2osim.batch.uncertainty import prediction_bands

            bands = prediction_bands(
                spec,
                found,
                draws=args.bands,
                **_execution(args),
            )
            bands.save(out, f"{Path(args.spec).stem}: fitted, 90% prediction bands")
            print(f"bands:    {out / 'bands.png'}, {out / 'bands.csv'} ({args.bands} draws)")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from o2osim.scenario import load_scenario

    for path in args.scenarios:
        scenario = load_scenario(path, args.overrides)
        print(
            f"{path}: ok ({scenario.name}, {scenario.time.years} years, "
            f"{scenario.population.consumers:,} consumers, {len(scenario.platforms)} platforms)"
        )
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from o2osim.results import verify

    for folder in args.dirs:
        names = verify(Path(folder))
        print(f"{folder}: ok ({len(names)} files match manifest.json: {', '.join(names)})")
    return 0


def _cmd_viz(args: argparse.Namespace) -> int:
    import subprocess
    from importlib.util import find_spec

    from o2osim.scenario import load_scenario

    scenario = Path(args.scenario).resolve()
    load_scenario(scenario)  # a bad file is reported here, not in the browser
    if args.consumers < 10:
        raise O2OError(f"--consumers: got {args.consumers}, expected at least 10")
    if find_spec("solara") is None or find_spec("solara_assets") is None:
        raise O2OError("viz: the dashboard needs the viz extra: pip install 'o2osim[viz]'")
    env = {
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # a teaching tool sends nothing home
        **os.environ,
        "O2OSIM_VIZ_SCENARIO": str(scenario),
        "O2OSIM_VIZ_CONSUMERS": str(args.consumers),
    }
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        "o2osim.viz_app",
        "--production",
        "--no-check-version",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--open" if args.open else "--no-open",
    ]
    print(f"dashboard: http://{args.host}:{args.port}  (Ctrl+C to stop)", flush=True)
    if hasattr(os, "execve") and os.name == "posix":
        # become the server, so that a signal to this process (Ctrl+C, kill) stops the server
        os.execve(sys.executable, command, env)
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from o2osim import schema_doc
    from o2osim.scenario import Scenario

    if args.markdown:
        sys.stdout.write(schema_doc.markdown())
    else:
        print(json.dumps(Scenario.model_json_schema(), indent=2))
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from o2osim import bench

    try:
        sizes = [int(x.replace("_", "")) for x in args.consumers.split(",") if x.strip()]
    except ValueError:
        raise O2OError(
            f"--consumers: got {args.consumers!r}, expected comma-separated integers"
        ) from None
    if not sizes or min(sizes) < 10:
        raise O2OError(f"--consumers: got {args.consumers!r}, expected sizes of at least 10")
    report = bench.run_bench(
        sizes,
        args.years,
        args.scenario,
        progress=lambda m: print(f"running {m} ...", file=sys.stderr, flush=True),
    )
    print(bench.table(report))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
        print(f"report: {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="o2osim",
        description="Agent-based simulator of online and offline retail (O2O).",
    )
    parser.add_argument("--version", action="version", version=f"o2osim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run a scenario and write its results")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--out", help="result directory (default: out/<scenario name>)")
    p.add_argument("--seed", type=int, help="seed (overrides the scenario's)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--check-invariants",
        action="store_true",
        help="check the market's invariants after every tick (slower; see docs/reliability.md)",
    )
    p.add_argument(
        "--max-memory",
        metavar="SIZE",
        help="memory the run may take, e.g. 8G (default: what is available now; none: no check)",
    )
    _add_overrides(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "compare", help="run scenarios with the same seeds, replicated, and compare outcomes"
    )
    p.add_argument("scenarios", nargs="+", help="two or more scenario YAML files")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument(
        "--replicates",
        type=int,
        default=5,
        metavar="R",
        help="runs per scenario, with seeds s..s+R-1 from the first scenario's seed s (default 5)",
    )
    _add_execution(p)
    _add_overrides(p)
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser(
        "sweep", help="run a parameter sweep on Dask, streaming results to a Parquet dataset"
    )
    p.add_argument("spec", help="sweep spec YAML file (see docs/sweeps.md)")
    p.add_argument("--out", required=True, metavar="DIR", help="sweep directory (resumable)")
    p.add_argument(
        "--retry-failed",
        action="store_true",
        help="when resuming, run again the runs that raised before",
    )
    _add_execution(p)
    _add_overrides(p)
    p.set_defaults(func=_cmd_sweep)

    p = sub.add_parser(
        "sensitivity", help="Sobol or Morris sensitivity indices of a sweep's metrics (SALib)"
    )
    p.add_argument("dir", help="sweep directory of design sobol or morris")
    p.add_argument(
        "--metric",
        dest="metrics",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="metrics to analyze (default: all of the sweep's, unless --fact is given)",
    )
    p.add_argument(
        "--fact",
        dest="facts",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="headline facts to analyze, each measured on a run's years (o2osim.batch.facts; "
        "all: every fact)",
    )
    p.add_argument(
        "--over",
        default="final",
        choices=["final", "mean", "sum"],
        help="a run's value: its final year, or the mean or sum over years (default final)",
    )
    p.add_argument("--out", metavar="OUTDIR", help="output directory (default DIR/sensitivity)")
    p.set_defaults(func=_cmd_sensitivity)

    p = sub.add_parser("plot", help="draw a sweep: a metric against a parameter, or a heat map")
    p.add_argument("dir", help="sweep directory")
    p.add_argument("--x", required=True, metavar="PARAM", help="parameter on the x axis")
    p.add_argument(
        "--y",
        required=True,
        metavar="NAME",
        help="metric on the y axis (or, with --z, the second parameter)",
    )
    p.add_argument("--z", metavar="METRIC", help="draw a heat map of this metric over x and y")
    p.add_argument(
        "--over",
        default="final",
        choices=["final", "mean", "sum"],
        help="a run's value: its final year, or the mean or sum over years (default final)",
    )
    p.add_argument(
        "--bins",
        type=int,
        default=12,
        metavar="N",
        help="bins per axis for continuous designs (default 12)",
    )
    p.add_argument("--out", metavar="FILE.png", help="figure file (default: in DIR)")
    p.set_defaults(func=_cmd_plot)

    p = sub.add_parser(
        "calibrate", help="fit parameters to target series (differential evolution on Dask)"
    )
    p.add_argument("spec", help="calibration spec YAML file (see docs/analysis.md)")
    p.add_argument("--out", metavar="DIR", help="output directory (default out/<spec name>)")
    p.add_argument(
        "--uncertainty",
        type=_at_least_two,
        metavar="R",
        default=0,
        help="after the fit, standard errors of the fitted values from a numerical Jacobian, "
        "R runs per point (at least 2)",
    )
    p.add_argument(
        "--step",
        type=_step,
        metavar="S",
        default=0.05,
        help="with --uncertainty: the central differences' step, as a share of each "
        "parameter's range (default 0.05; larger when the runs are noisy: see the signal "
        "column)",
    )
    p.add_argument(
        "--bands",
        type=_at_least_two,
        metavar="N",
        default=0,
        help="with --uncertainty: 90%% prediction bands of the dashboard's indicators from N "
        "runs at parameters drawn from the fit's uncertainty (bands.png, bands.csv)",
    )
    _add_execution(p)
    _add_overrides(p)
    p.set_defaults(func=_cmd_calibrate)

    p = sub.add_parser("validate", help="check scenario files without running them")
    p.add_argument("scenarios", nargs="+", help="scenario YAML files")
    _add_overrides(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("verify", help="check result directories against their manifest checksums")
    p.add_argument("dirs", nargs="+", metavar="DIR", help="directories written by o2osim run")
    p.set_defaults(func=_cmd_verify)

    p = sub.add_parser("viz", help="serve the interactive dashboard (SolaraViz) on localhost")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument(
        "--consumers",
        type=int,
        default=5000,
        help="simulated consumers (default 5000: quick to step and draw)",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--open", action="store_true", help="open the page in a web browser")
    p.set_defaults(func=_cmd_viz)

    p = sub.add_parser("bench", help="measure speed and memory at several population sizes")
    p.add_argument(
        "--consumers",
        default="10000,100000,1000000",
        help="comma-separated population sizes (default 10000,100000,1000000)",
    )
    p.add_argument("--years", type=int, default=17, help="simulated years (default 17)")
    p.add_argument("--scenario", default=None, help="scenario (default china_2004_2020.yaml)")
    p.add_argument("--out", help="write the report as JSON to this file")
    p.set_defaults(func=_cmd_bench)

    p = sub.add_parser("schema", help="print the scenario JSON schema")
    p.add_argument(
        "--markdown",
        action="store_true",
        help="print the field reference (docs/scenarios.md) instead",
    )
    p.set_defaults(func=_cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``o2osim`` console script.

    Args:
        argv: Arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit code: 0 on success, 2 on bad input, 3 if an invariant broke (--check-invariants),
        130 when interrupted, 141 when the reader of the output went away.
    """
    args = build_parser().parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")  # figures go to files: no window, even on a desktop
    from o2osim.invariants import InvariantError

    notes: list[str] = []
    try:
        with warnings.catch_warnings():  # restores showwarning when the command ends
            warnings.simplefilter("always", HorizonNotice)  # each distinct one kept once
            warnings.showwarning = _keep_notes(warnings.showwarning, notes)
            code = args.func(args)
        # told when the command is done: a command that fails on bad input says one line only
        for note in notes:
            print(f"o2osim: note: {note}", file=sys.stderr)
        return code
    except InvariantError as exc:  # a bug in the model, not bad input
        print(f"o2osim: error: {exc}", file=sys.stderr)
        return EXIT_INVARIANT
    except O2OError as exc:
        print(f"o2osim: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (o2osim ... | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print(
            "o2osim: interrupted; finished results are kept, partial ones removed", file=sys.stderr
        )
        return EXIT_INTERRUPTED
