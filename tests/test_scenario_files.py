"""Scenario files: validation, one-line errors, extends and overrides."""

import math
from pathlib import Path

import pytest
from conftest import BASELINE, ROOT

from o2osim import Scenario, ScenarioError, load_scenario, schema_doc

BAD = [
    # (id, file text, fragments the one-line error must contain)
    ("misspelled key", "stores:\n  rnet: 5\n", ["stores.rnet", "did you mean 'rent'"]),
    ("misspelled section", "stroes:\n  count: 5\n", ["stroes", "did you mean 'stores'"]),
    ("unknown section", "shops:\n  count: 5\n", ["shops", "known field", "known: name"]),
    ("wrong type", "stores:\n  count: many\n", ["stores.count", "'many'", "integer"]),
    ("negative count", "stores:\n  count: -5\n", ["stores.count", "-5", "greater than or equal"]),
    ("probability above 1", "consumers:\n  purchase_rate: 1.5\n",
     ["consumers.purchase_rate", "1.5", "less than or equal to 1"]),
    ("launch after end", "time: {years: 3}\nplatforms:\n  - {name: A, launch_year: 2030}\n",
     ["platforms.0.launch_year", "2030", "last simulated year 2006"]),
    ("duplicate key", "seed: 1\nseed: 2\n", ["seed", "duplicate key at line 2"]),
    ("tab indentation", "stores:\n\tcount: 5\n", ["valid YAML", "line 2"]),
    ("empty file", "", ["empty file"]),
    ("not a mapping", "- 1\n- 2\n", ["list", "mapping"]),
    ("nan", "stores:\n  rent: .nan\n", ["stores.rent", "finite number"]),
    ("infinity", "stores:\n  rent: .inf\n", ["stores.rent", "finite number"]),
    ("python tag", "seed: !!python/object/apply:os.system ['true']\n", ["valid YAML"]),
    ("shares above 1",
     "brands:\n  - {name: A, market_share: 0.7}\n  - {name: B, market_share: 0.6}\n",
     ["brands.market_share", "at most 1"]),
    ("duplicate platform", "platforms:\n  - {name: A, launch_year: 2005}\n"
     "  - {name: A, launch_year: 2006}\n", ["platforms.1.name", "'A'"]),
    ("missing required", "platforms:\n  - {name: A}\n", ["platforms.0.launch_year", "required"]),
    ("ages reversed", "demography: {entry_age: 50, exit_age: 40}\n",
     ["demography.exit_age", "above entry_age"]),
    ("ticks per year", "time: {ticks_per_year: 12}\n", ["time.ticks_per_year", "52"]),
]


@pytest.mark.parametrize(("text", "fragments"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_scenario_gives_one_line_naming_file_and_field(tmp_path, text, fragments):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message, message


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(ScenarioError, match="UTF-8 text"):
        load_scenario(path)


def test_only_yaml_files_are_read(tmp_path):
    path = tmp_path / "scenario.json"
    path.write_text("{}")
    with pytest.raises(ScenarioError, match=r"\.yaml or \.yml"):
        load_scenario(path)


def test_extends_loop_and_missing_target(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="no loop of extends"):
        load_scenario(tmp_path / "a.yaml")
    (tmp_path / "c.yaml").write_text("extends: nowhere.yaml\n")
    with pytest.raises(ScenarioError, match=r"c\.yaml: extends: got 'nowhere\.yaml'"):
        load_scenario(tmp_path / "c.yaml")


def test_extends_merges_sections_and_replaces_lists(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text(
        f"extends: {BASELINE}\nname: child\nstores:\n  rent: 1000\n"
        "platforms:\n  - {name: Solo, launch_year: 2010}\n"
    )
    base = load_scenario(BASELINE)
    sc = load_scenario(child)
    assert sc.name == "child"
    assert sc.stores.rent == 1000
    assert sc.stores.wages == base.stores.wages  # inherited from the parent
    assert [p.name for p in sc.platforms] == ["Solo"]


@pytest.mark.parametrize(
    ("override", "read"),
    [
        ("platforms.0.commission=0.08", lambda s: s.platforms[0].commission == 0.08),
        ("population.consumers=500", lambda s: s.population.consumers == 500),
        ("platforms.1.escrow=false", lambda s: s.platforms[1].escrow is False),
        ("demography.turning_point_year=2002", lambda s: s.demography.turning_point_year == 2002),
        ("events=[]", lambda s: s.events == []),
    ],
)
def test_set_overrides(override, read):
    assert read(load_scenario(BASELINE, [override]))


def test_keyword_overrides_and_errors_in_overrides():
    assert load_scenario(BASELINE, population__consumers=700).population.consumers == 700
    with pytest.raises(ScenarioError, match="list index from 0 to 1"):
        load_scenario(BASELINE, ["platforms.5.commission=0.1"])
    with pytest.raises(ScenarioError, match="did you mean 'commission'"):
        load_scenario(BASELINE, ["platforms.0.comission=0.1"])
    with pytest.raises(ScenarioError, match="KEY=VALUE"):
        load_scenario(BASELINE, ["platforms.0.commission"])


def test_every_shipped_scenario_validates():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        assert isinstance(load_scenario(path), Scenario), path


def test_json_schema_names_every_section():
    props = Scenario.model_json_schema()["properties"]
    for section in ["seed", "time", "population", "consumers", "stores", "platforms", "dealers",
                    "brands", "demography", "adoption", "events"]:
        assert section in props


def test_every_field_has_a_unit_and_docs_are_current():
    def walk(model, prefix=""):
        for name, info in model.model_fields.items():
            extra = info.json_schema_extra or {}
            ann = info.annotation
            inner = getattr(ann, "__args__", (ann,))[0]
            if isinstance(inner, type) and issubclass(inner, Scenario.__mro__[1]):
                yield from walk(inner, f"{prefix}{name}.")
            elif name not in ("name", "description") or prefix:
                yield f"{prefix}{name}", extra.get("unit"), info.description

    for path, unit, description in walk(Scenario):
        assert unit, f"{path} has no unit"
        assert description, f"{path} has no description"
    committed = Path(ROOT / "docs" / "scenarios.md").read_text()
    assert committed == schema_doc.markdown(), "docs/scenarios.md is stale: run `make docs`"


def test_people_per_consumer():
    sc = load_scenario(BASELINE, ["population.consumers=4000", "population.people=2000000"])
    assert math.isclose(sc.population.people_per_consumer, 500.0)
