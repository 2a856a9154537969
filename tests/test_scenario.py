"""Scenario files: validation with one-line errors, extends, --set overrides, schema and docs."""

import ast
import json
import typing

import pytest
from conftest import BASELINE, ROOT

from o2osim import Scenario, ScenarioError, load_scenario, schema_doc
from o2osim.scenario import LEVERS, Section, affects_horizon

# ----------------------------------------------------------------------------- good input


def test_baseline_validates():
    sc = load_scenario(BASELINE)
    assert isinstance(sc, Scenario)
    assert sc.name == "baseline"
    assert [p.name for p in sc.platforms] == ["Taobao", "JD"]
    assert sc.ticks == sc.time.years * 52


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.y*ml")), ids=lambda p: p.name)
def test_every_shipped_scenario_validates(path):
    assert isinstance(load_scenario(path), Scenario)


def test_a_scenario_survives_a_round_trip_through_its_json_dump():
    sc = load_scenario(BASELINE)
    assert load_scenario(sc.model_dump(mode="json")) == sc
    assert load_scenario(sc) == sc


# ----------------------------------------------------------------------------- the horizon


def test_a_launch_after_the_horizon_validates_and_is_listed():
    sc = load_scenario(
        {
            "time": {"start_year": 2004, "years": 3},
            "platforms": [{"name": "A", "launch_year": 2004}, {"name": "B", "launch_year": 2010}],
            "stages": {"mobile_year": None},
        }
    )
    assert sc.last_year == 2006
    assert sc.after_horizon() == [("platforms.1.launch_year", 2010)]


def test_after_horizon_lists_every_dated_setting_after_the_last_year_in_order():
    sc = load_scenario(
        BASELINE,
        [
            "time.years=3",  # 2004-2006
            "platforms.0.c2b_start_year=2007",
            "platforms.0.protection_start_year=2006",  # in the run
            "platforms.1.protection_start_year=2012",
            "demography.turning_point_year=2030",
        ],
    )
    assert sc.after_horizon() == [
        ("platforms.0.c2b_start_year", 2007),
        ("platforms.1.launch_year", 2008),
        ("platforms.1.protection_start_year", 2012),
        ("demography.turning_point_year", 2030),
        ("stages.mobile_year", 2011),
        ("events.0.start_year", 2009),
        ("events.1.start_year", 2010),
    ]


def test_nothing_is_after_the_horizon_of_a_full_run_or_on_its_last_year():
    assert load_scenario(BASELINE).after_horizon() == []
    assert load_scenario(BASELINE, ["time.years=5"]).after_horizon() == [  # to 2008
        ("stages.mobile_year", 2011),
        ("events.0.start_year", 2009),
        ("events.1.start_year", 2010),
    ]


@pytest.mark.parametrize(
    ("path", "dated"),
    [
        ("time.years", True),
        ("time.start_year", True),
        ("platforms.1.launch_year", True),
        ("platforms.0.c2b_start_year", True),
        ("stages.mobile_year", True),
        ("events.3.start_year", True),
        ("demography.turning_point_year", True),
        ("platforms.0.commission", False),
        ("stages.mobile_p", False),
        ("time.ticks_per_year", False),
        ("stores.rent", False),
    ],
)
def test_affects_horizon_names_the_fields_that_move_dates_or_the_horizon(path, dated):
    assert affects_horizon(path) is dated


# ----------------------------------------------------------------------------- bad files

BAD_NAME = "bad_input.yaml"
PLATFORM = "  - {name: A, launch_year: 2005}\n"

# (id, files written to tmp_path, the loaded one being BAD_NAME; expected ScenarioError.field;
#  fragments the one-line message must contain besides the file name)
BAD_FILES = [
    (
        "misspelled key",
        {BAD_NAME: "stores:\n  rnet: 5\n"},
        "stores.rnet",
        ["stores.rnet", "got 'rnet'", "did you mean 'rent'"],
    ),
    (
        "misspelled key in a list item",
        {BAD_NAME: "platforms:\n  - {name: A, launch_year: 2005, comission: 0.1}\n"},
        "platforms.0.comission",
        ["platforms.0.comission", "did you mean 'commission'"],
    ),
    (
        "misspelled section",
        {BAD_NAME: "stroes:\n  count: 5\n"},
        "stroes",
        ["stroes", "did you mean 'stores'"],
    ),
    (
        "unknown top-level section",
        {BAD_NAME: "weather:\n  rain: 3\n"},
        "weather",
        ["weather", "expected a known field", "known: name"],
    ),
    (
        "string for an int",
        {BAD_NAME: "stores:\n  count: many\n"},
        "stores.count",
        ["stores.count", "got 'many'", "valid integer"],
    ),
    (
        "fraction for an int",
        {BAD_NAME: "stores:\n  count: 2.5\n"},
        "stores.count",
        ["stores.count", "2.5", "valid integer"],
    ),
    (
        "negative count",
        {BAD_NAME: "stores:\n  count: -3\n"},
        "stores.count",
        ["stores.count", "got -3", "greater than or equal to 0"],
    ),
    (
        "probability above 1",
        {BAD_NAME: "consumers:\n  purchase_rate: 1.5\n"},
        "consumers.purchase_rate",
        ["consumers.purchase_rate", "got 1.5", "less than or equal to 1"],
    ),
    (
        "unknown choice",
        {BAD_NAME: "population:\n  agent_views: sometimes\n"},
        "population.agent_views",
        ["population.agent_views", "'sometimes'", "'lazy'"],
    ),
    (
        "missing required field",
        {BAD_NAME: "platforms:\n  - {name: A}\n"},
        "platforms.0.launch_year",
        ["platforms.0.launch_year", "required"],
    ),
    ("section given as a number", {BAD_NAME: "stores: 5\n"}, "stores", ["stores", "got 5"]),
    (
        "list given as a mapping",
        {BAD_NAME: "platforms: {name: A}\n"},
        "platforms",
        ["platforms", "valid list"],
    ),
    (
        "duplicate YAML key",
        {BAD_NAME: "stores:\n  rent: 1\n  rent: 2\n"},
        "stores.rent",
        ["stores.rent", "duplicate key", "line 3"],
    ),
    (
        "duplicate key in a list item",
        {BAD_NAME: "platforms:\n  - {name: A, launch_year: 2005, name: B}\n"},
        "platforms.0.name",
        ["platforms.0.name", "duplicate key", "line 2"],
    ),
    ("tab indentation", {BAD_NAME: "stores:\n\trent: 1\n"}, "", ["valid YAML", "line 2"]),
    ("unclosed bracket", {BAD_NAME: "stores: [1, 2\n"}, "", ["valid YAML"]),
    ("empty file", {BAD_NAME: ""}, "", ["empty file", "a mapping of scenario sections"]),
    ("only comments", {BAD_NAME: "# nothing here\n"}, "", ["empty file"]),
    (
        "top level is a list",
        {BAD_NAME: "- 1\n- 2\n"},
        "",
        ["got 'list'", "a mapping of scenario sections"],
    ),
    (
        "binary file",
        {BAD_NAME: b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01"},
        "",
        ["UTF-8 text file", "binary"],
    ),
    ("NUL bytes in UTF-8", {BAD_NAME: b"name: a\x00b\n"}, "", ["UTF-8 text file", "binary"]),
    (
        "NaN",
        {BAD_NAME: "stores:\n  rent: .nan\n"},
        "stores.rent",
        ["stores.rent", "got nan", "a finite number"],
    ),
    (
        "infinity",
        {BAD_NAME: "stores:\n  rent: .inf\n"},
        "stores.rent",
        ["stores.rent", "got inf", "a finite number"],
    ),
    (
        "minus infinity",
        {BAD_NAME: "consumers:\n  travel_cost: -.inf\n"},
        "consumers.travel_cost",
        ["consumers.travel_cost", "a finite number"],
    ),
    (
        "infinity for an int",
        {BAD_NAME: "stores:\n  count: .inf\n"},
        "stores.count",
        ["stores.count", "a finite number"],
    ),
    (
        "python object tag",
        {BAD_NAME: "name: !!python/object:os.system {}\n"},
        "",
        ["valid YAML", "python/object"],
    ),
    (
        "python apply tag",
        {BAD_NAME: "seed: !!python/object/apply:os.getpid []\n"},
        "",
        ["valid YAML", "python/object/apply"],
    ),
    (
        "extends loop",
        {BAD_NAME: "extends: other.yaml\n", "other.yaml": "extends: bad_input.yaml\n"},
        "extends",
        ["no loop of extends", "bad_input.yaml -> other.yaml -> bad_input.yaml"],
    ),
    ("extends itself", {BAD_NAME: "extends: bad_input.yaml\n"}, "extends", ["no loop of extends"]),
    (
        "missing extends target",
        {BAD_NAME: "extends: nowhere.yaml\n"},
        "extends",
        ["extends", "got 'nowhere.yaml'", "not found"],
    ),
    (
        "extends a non-YAML file",
        {BAD_NAME: "extends: base.json\n", "base.json": "{}"},
        "extends",
        ["extends", "'base.json'", ".yaml or .yml"],
    ),
    (
        "extends is not a path",
        {BAD_NAME: "extends: [a.yaml, b.yaml]\n"},
        "extends",
        ["extends", "a path to another scenario file"],
    ),
    (
        "error in the extended file",
        {BAD_NAME: "extends: parent.yaml\n", "parent.yaml": "stores:\n  count: -1\n"},
        "stores.count",
        ["stores.count", "got -1"],
    ),
    (
        "brand shares above 1",
        {BAD_NAME: "brands:\n  - {name: A, market_share: 0.7}\n  - {name: B, market_share: 0.6}\n"},
        "brands.market_share",
        ["brands.market_share", "got 1.3", "summing to at most 1"],
    ),
    (
        "duplicate platform names",
        {BAD_NAME: f"platforms:\n{PLATFORM}{PLATFORM}"},
        "platforms.1.name",
        ["platforms.1.name", "got 'A'", "a name no other platform has"],
    ),
    (
        "duplicate brand names",
        {BAD_NAME: "brands:\n  - {name: A, market_share: 0.5}\n  - {name: A, market_share: 0.5}\n"},
        "brands.1.name",
        ["brands.1.name", "got 'A'"],
    ),
    (
        "exit age below entry age",
        {BAD_NAME: "demography: {entry_age: 50, exit_age: 40}\n"},
        "demography.exit_age",
        ["demography.exit_age", "got 40", "above entry_age (50)"],
    ),
]


@pytest.mark.parametrize(
    ("files", "field", "fragments"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES]
)
def test_bad_file_raises_one_line_naming_file_field_and_expectation(
    write, tmp_path, files, field, fragments
):
    for name, content in files.items():
        write(name, content)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / BAD_NAME)
    err = caught.value
    message = str(err)
    assert "\n" not in message and "\r" not in message
    assert "Traceback" not in message
    assert BAD_NAME in message, message
    assert "expected " in message, message
    assert err.field == field, message
    if field:
        assert f": {field}: " in message, message
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("scenario.txt", ["scenario.txt", "got '.txt'", "a .yaml or .yml file"]),
        ("scenario", ["got (none)", "a .yaml or .yml file"]),
        ("missing.yaml", ["missing.yaml", "file not found"]),
    ],
    ids=["wrong suffix", "no suffix", "missing file"],
)
def test_files_that_cannot_be_scenarios(tmp_path, name, fragments):
    if name != "missing.yaml":
        (tmp_path / name).write_text("name: x\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / name)
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_python_tags_are_never_executed(tmp_path):
    target = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f"name: !!python/object/apply:os.mkdir ['{target}']\n")
    with pytest.raises(ScenarioError, match="valid YAML"):
        load_scenario(path)
    assert not target.exists()


def test_duplicate_key_error_names_the_field_path(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("stores:\n  rent: 1\n  rent: 2\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.field == "stores.rent"
    assert "stores.rent" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("stores:\n  count: true\n", "stores.count"),
        ("stores:\n  rent: false\n", "stores.rent"),
        ("stores:\n  count: '150'\n", "stores.count"),
    ],
    ids=["bool for int", "bool for float", "quoted number"],
)
def test_values_of_another_type_are_not_coerced(tmp_path, text, field):
    # `count: true` must not silently become one store
    path = tmp_path / "typed.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.field == field


def test_ints_are_accepted_for_float_fields(tmp_path):
    path = tmp_path / "ints.yaml"
    path.write_text("stores:\n  rent: 30000\npopulation:\n  people: 1000000\n")
    sc = load_scenario(path)
    assert (sc.stores.rent, sc.population.people) == (30000.0, 1e6)


@pytest.mark.parametrize(
    "text",
    ["population:\n  people: 1e6\n", "population:\n  people: 1.0e6\n"],
    ids=["1e6", "1.0e6"],
)
def test_numbers_in_exponent_notation_are_numbers(tmp_path, text):
    path = tmp_path / "exp.yaml"
    path.write_text(text)
    assert load_scenario(path).population.people == 1e6


def test_exponent_notation_with_a_dot_and_sign_is_a_number(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text("population:\n  people: 1.0e+6\n")
    assert load_scenario(path).population.people == 1e6


# ----------------------------------------------------------------------------- extends

PARENT = """\
name: parent
seed: 9
stores:
  count: 40
  rent: 1000
  wages: 2000
platforms:
  - {name: A, launch_year: 2004}
  - {name: B, launch_year: 2005}
"""


def test_extends_overrides_one_nested_field_and_inherits_the_rest(write):
    write("parent.yaml", PARENT)
    child = write("child.yaml", "extends: parent.yaml\nname: child\nstores:\n  rent: 1500\n")
    sc = load_scenario(child)
    assert sc.name == "child"
    assert sc.seed == 9
    assert (sc.stores.count, sc.stores.rent, sc.stores.wages) == (40, 1500, 2000)
    assert [p.name for p in sc.platforms] == ["A", "B"]
    assert sc.dealers == load_scenario(write("plain.yaml", "name: plain\n")).dealers


def test_extends_replaces_lists_whole(write):
    write("parent.yaml", PARENT)
    child = write(
        "child.yaml", "extends: parent.yaml\nplatforms:\n  - {name: C, launch_year: 2006}\n"
    )
    sc = load_scenario(child)
    assert [(p.name, p.launch_year) for p in sc.platforms] == [("C", 2006)]


def test_extends_chains_and_resolves_relative_to_the_file_not_the_cwd(write, tmp_path, monkeypatch):
    write("base/parent.yaml", PARENT)
    write("mid/child.yaml", "extends: ../base/parent.yaml\nstores:\n  rent: 1500\n")
    grandchild = write("leaf/grandchild.yaml", "extends: ../mid/child.yaml\nstores:\n  count: 7\n")
    monkeypatch.chdir(write("elsewhere/.keep", "").parent)
    sc = load_scenario(grandchild)
    assert (sc.name, sc.stores.count, sc.stores.rent, sc.stores.wages) == ("parent", 7, 1500, 2000)


def test_extends_the_shipped_baseline(write):
    child = write("cheap_rent.yaml", f"extends: {BASELINE}\nstores:\n  rent: 1000\n")
    base, sc = load_scenario(BASELINE), load_scenario(child)
    assert sc.stores.rent == 1000
    assert sc.stores.model_copy(update={"rent": base.stores.rent}) == base.stores
    assert sc.platforms == base.platforms


def test_set_overrides_apply_after_extends(write):
    write("parent.yaml", PARENT)
    child = write("child.yaml", "extends: parent.yaml\nstores:\n  rent: 1500\n")
    sc = load_scenario(child, ["stores.rent=3", "platforms.1.commission=0.2"])
    assert sc.stores.rent == 3
    assert sc.platforms[1].commission == 0.2


def test_extends_is_refused_in_a_mapping():
    with pytest.raises(ScenarioError, match="extends only in files"):
        load_scenario({"extends": str(BASELINE)})


# ----------------------------------------------------------------------------- overrides

GOOD_OVERRIDES = [
    (
        "float in a list item",
        "platforms.0.commission=0.08",
        lambda s: s.platforms[0].commission,
        0.08,
        float,
    ),
    ("int", "population.consumers=500", lambda s: s.population.consumers, 500, int),
    ("bool", "platforms.1.escrow=false", lambda s: s.platforms[1].escrow, False, bool),
    ("string with spaces", "name=my run", lambda s: s.name, "my run", str),
    ("empty list", "events=[]", lambda s: s.events, [], list),
    (
        "list of mappings",
        "brands=[{name: A, market_share: 0.5}, {name: B, market_share: 0.5}]",
        lambda s: [b.name for b in s.brands],
        ["A", "B"],
        list,
    ),
    ("top-level field", "seed=7", lambda s: s.seed, 7, int),
]


@pytest.mark.parametrize(
    ("override", "read", "value", "kind"),
    [g[1:] for g in GOOD_OVERRIDES],
    ids=[g[0] for g in GOOD_OVERRIDES],
)
def test_set_override_sets_a_typed_value(override, read, value, kind):
    sc = load_scenario(BASELINE, [override])
    assert read(sc) == value
    assert type(read(sc)) is kind


def test_overrides_leave_everything_else_alone():
    base = load_scenario(BASELINE)
    sc = load_scenario(BASELINE, ["platforms.0.commission=0.08"])
    assert sc.platforms[1] == base.platforms[1]
    assert sc.model_copy(update={"platforms": base.platforms}) == base


def test_later_overrides_win():
    sc = load_scenario(BASELINE, ["stores.rent=1", "stores.rent=2"])
    assert sc.stores.rent == 2


@pytest.mark.parametrize(
    ("fields", "read", "value"),
    [
        ({"population__consumers": 500}, lambda s: s.population.consumers, 500),
        ({"platforms__0__commission": 0.08}, lambda s: s.platforms[0].commission, 0.08),
        ({"stores__rent": 10, "seed": 3}, lambda s: (s.stores.rent, s.seed), (10.0, 3)),
    ],
    ids=["nested int", "list item", "two fields"],
)
def test_keyword_overrides(fields, read, value):
    assert read(load_scenario(BASELINE, **fields)) == value


def test_keyword_overrides_apply_after_set_overrides():
    sc = load_scenario(BASELINE, ["population.consumers=400"], population__consumers=500)
    assert sc.population.consumers == 500


# (id, overrides, expected ScenarioError.field, fragments of the one-line message)
BAD_OVERRIDES = [
    (
        "list index past the end",
        ["platforms.5.commission=0.1"],
        "platforms.5",
        ["baseline.yaml --set", "platforms.5", "a list index from 0 to 1"],
    ),
    (
        "list index not a number",
        ["platforms.first.commission=0.1"],
        "platforms.first",
        ["baseline.yaml --set", "platforms.first", "a list index"],
    ),
    (
        "negative list index",
        ["platforms.-1.commission=0.1"],
        "platforms.-1",
        ["platforms.-1", "a list index"],
    ),
    (
        "field inside a number",
        ["population.consumers.size=1"],
        "population.consumers.size",
        ["population.consumers.size", "a section or list"],
    ),
    (
        "misspelled key",
        ["stores.rnet=5"],
        "stores.rnet",
        ["baseline.yaml", "stores.rnet", "did you mean 'rent'"],
    ),
    ("no equals sign", ["stores.rent"], "stores.rent", ["--set", "KEY=VALUE"]),
    ("empty key", ["=5"], "=5", ["--set", "KEY=VALUE"]),
    (
        "string for an int",
        ["stores.count=many"],
        "stores.count",
        ["baseline.yaml", "stores.count", "valid integer"],
    ),
    ("NaN", ["stores.rent=.nan"], "stores.rent", ["stores.rent", "a finite number"]),
]


@pytest.mark.parametrize(
    ("overrides", "field", "fragments"),
    [b[1:] for b in BAD_OVERRIDES],
    ids=[b[0] for b in BAD_OVERRIDES],
)
def test_bad_override_raises_one_line(overrides, field, fragments):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BASELINE, overrides)
    message = str(caught.value)
    assert "\n" not in message
    assert caught.value.field == field, message
    for fragment in fragments:
        assert fragment in message, message


def test_bad_keyword_override_names_the_keyword():
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BASELINE, platforms__7__commission=0.1)
    assert "platforms__7__commission=" in str(caught.value)
    assert caught.value.field == "platforms.7"


def test_index_into_an_empty_list_says_the_list_is_empty():
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BASELINE, ["platforms=[]", "platforms.0.commission=0.1"])
    assert "-1" not in str(caught.value)


# ----------------------------------------------------------------------------- schema and docs


def _sections():
    for name, info in Scenario.model_fields.items():
        inner = getattr(info.annotation, "__args__", (info.annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, Section):
            yield name, inner


def test_json_schema_contains_every_section_and_field():
    schema = json.loads(json.dumps(Scenario.model_json_schema()))
    assert set(Scenario.model_fields) <= set(schema["properties"])
    names = [name for name, _ in _sections()]
    assert {
        "time",
        "population",
        "consumers",
        "stores",
        "platforms",
        "dealers",
        "brands",
        "demography",
        "adoption",
        "events",
    } <= set(names)
    for _, model in _sections():
        definition = schema["$defs"][model.__name__]
        assert set(definition["properties"]) == set(model.model_fields), model.__name__
        assert definition["additionalProperties"] is False


def test_every_field_has_a_unit_and_a_description():
    for section, model in [("", Scenario), *_sections()]:
        for name, info in model.model_fields.items():
            if section == "" and name in dict(_sections()):
                continue
            extra = info.json_schema_extra or {}
            assert extra.get("unit"), f"{section}.{name} has no unit"
            assert info.description, f"{section}.{name} has no description"


def test_docs_scenarios_md_is_generated_from_the_schema():
    committed = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    assert committed == schema_doc.markdown(), "docs/scenarios.md is stale: regenerate it"


def test_docs_name_every_field_with_its_dotted_path():
    text = schema_doc.markdown()
    for section, model in _sections():
        is_list = typing.get_origin(Scenario.model_fields[section].annotation) is list
        prefix = f"{section}.N." if is_list else f"{section}."
        for name in model.model_fields:
            assert f"| `{prefix}{name}` |" in text, f"{prefix}{name}"


# ----------------------------------------------------------------------------- the package

#: The scenario package's modules, each importing only modules before it.
LAYERS = ["fields", "market", "firms", "dynamics", "levers", "schema", "loading"]


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_scenario_modules_import_only_earlier_layers_and_nothing_of_mesa():
    package = ROOT / "o2osim" / "scenario"
    modules = sorted(p.stem for p in package.glob("*.py") if p.stem != "__init__")
    assert sorted(LAYERS) == modules
    for i, name in enumerate(LAYERS):
        for imported in _imports(package / f"{name}.py"):
            assert imported.split(".")[0] != "mesa", name
            if imported.startswith("o2osim."):
                allowed = {"o2osim.errors", *(f"o2osim.scenario.{m}" for m in LAYERS[:i])}
                assert imported in allowed, f"{name} imports {imported}"


def test_the_package_re_exports_every_public_name_its_modules_define():
    import o2osim.scenario as package

    for name in LAYERS:
        tree = ast.parse((ROOT / "o2osim" / "scenario" / f"{name}.py").read_text("utf-8"))
        for node in tree.body:
            targets = (
                [node.name]
                if isinstance(node, ast.ClassDef | ast.FunctionDef)
                else [t.id for t in node.targets if isinstance(t, ast.Name)]
                if isinstance(node, ast.Assign)
                else []
            )
            for public in (t for t in targets if not t.startswith("_")):
                assert public in package.__all__, f"{name}.{public}"
                assert getattr(package, public) is getattr(getattr(package, name), public)


# ----------------------------------------------------------------------------- brand levers

# (override switching one lever on in the baseline, which has none, and the path it names)
ONE_LEVER = [
    ("consumers.large_account_share=0.1", "consumers.large_account_share"),
    ("consumers.order_size_cv=0.5", "consumers.order_size_cv"),
    ("consumers.brand_habit=0.3", "consumers.brand_habit"),
    ("consumers.variants=4", "consumers.variants"),
    ("platforms.1.c2b_start_year=2012", "platforms.1.c2b_start_year"),
    ("brands.0.channel_strategy=product_split", "brands.0.channel_strategy"),
    ("brands.0.online_price_index=1.0", "brands.0.online_price_index"),
    ("brands.0.membership=separate", "brands.0.membership"),
    ("brands.0.fan_programme=true", "brands.0.fan_programme"),
    ("brands.0.strategies=[none,product_split]", "brands.0.strategies"),
    ("brands.0.memberships=[none,separate]", "brands.0.memberships"),
    ("brands.0.fan_programmes=[false,true]", "brands.0.fan_programmes"),
]


@pytest.mark.parametrize(("override", "path"), ONE_LEVER, ids=[p for _, p in ONE_LEVER])
def test_each_lever_alone_is_in_use_and_makes_brands_make_a_difference(override, path):
    sc = load_scenario(BASELINE, [override])
    assert sc.levers_in_use() == [path]
    assert sc.brands_make_a_difference is True


def test_no_lever_on_means_brands_make_no_difference():
    sc = load_scenario(BASELINE)
    assert sc.levers_in_use() == []
    assert sc.brands_make_a_difference is False
    # values that leave a lever off
    off = [
        "consumers.variants=1",
        "consumers.variant_zipf=2.0",
        "brands.0.channel_strategy=none",
        "brands.0.loyalty=50",
        "brands.0.service_rate=0.9",  # a fan programme setting, with the programme off
        "platforms.0.c2b_share=0.9",  # a C2B setting, with C2B off
    ]
    assert load_scenario(BASELINE, off).levers_in_use() == []


def test_brand_levers_are_allowed_only_with_brands_and_list_prices():
    assert load_scenario(BASELINE).brand_levers_allowed is True
    assert load_scenario(BASELINE, ["brands=[]"]).brand_levers_allowed is False
    assert load_scenario(ROOT / "scenarios" / "china_2004_2020.yaml").brand_levers_allowed is False


def test_the_table_covers_every_declared_lever():
    assert sorted(p.split(".")[0] + "." + p.split(".")[-1] for _, p in ONE_LEVER) == sorted(
        f"{lever.section}.{lever.field}" for lever in LEVERS
    )


def test_levers_are_listed_per_item_in_the_order_of_the_sections():
    data = load_scenario(BASELINE).model_dump(mode="json")
    data["brands"] = [
        {"name": "Acme", "market_share": 0.5, "fan_programme": True},
        {"name": "Beta", "market_share": 0.5, "membership": "integrated"},
    ]
    sc = load_scenario(data, ["platforms.0.c2b_start_year=2010", "consumers.variants=2"])
    assert sc.levers_in_use() == [
        "consumers.variants",
        "platforms.0.c2b_start_year",
        "brands.0.fan_programme",
        "brands.1.membership",
    ]


AGENTS_LACK = [(o, p) for o, p in ONE_LEVER if p != "consumers.variants"]


@pytest.mark.parametrize(("override", "path"), AGENTS_LACK, ids=[p for _, p in AGENTS_LACK])
def test_the_reference_engine_refuses_each_lever_it_lacks_naming_its_field(override, path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BASELINE, ["engine=agents", override])
    lever = next(lever for lever in LEVERS if path.endswith(f".{lever.field}"))
    assert caught.value.field == path
    assert f"expected {lever.off} when engine is agents (the reference engine has " in str(
        caught.value
    )


def test_the_reference_engine_refuses_a_fan_programme_alone():
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BASELINE, ["engine=agents", "brands.0.fan_programme=true"])
    assert str(caught.value) == (
        f"{BASELINE}: brands.0.fan_programme: got True, expected false when engine is agents "
        "(the reference engine has no fan programme)"
    )


def test_the_reference_engine_runs_with_product_variants():
    sc = load_scenario(BASELINE, ["engine=agents", "consumers.variants=3"])
    assert sc.levers_in_use() == ["consumers.variants"]
