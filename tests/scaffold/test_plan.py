"""The plan of a scaffold: keys, field names and types, steps active or suggested, match."""

from __future__ import annotations

import pandas as pd
import pytest

from migrate.io.spec import SourceSpec
from migrate.profile.model import SourceProfile
from migrate.profile.profiler import profile_frame
from migrate.scaffold.plan import ObjectPlan, plan_object, relative_location, rule_prefix
from tests.profile.employees import employees


@pytest.fixture(scope="module")
def staff() -> tuple[ObjectPlan, SourceProfile]:
    frame, _ = employees(400)
    profile = profile_frame(frame.astype("str").where(frame.notna()), "staff", "csv", "x")
    spec = SourceSpec(name="staff", system="HR", kind="csv", path="staff.csv")
    return plan_object(spec, profile, "STA"), profile


def test_fields_are_named_in_pinyin_and_typed(staff: tuple[ObjectPlan, SourceProfile]) -> None:
    plan = staff[0]
    fields = {f.column: f for f in plan.fields}
    assert fields["工号"].name == "gong_hao" and fields["工号"].key
    assert fields["入职日期"].type == "date" and fields["月薪"].type == "decimal"
    assert fields["姓名"].type == "string" and not fields["姓名"].key
    assert plan.key_columns == ("工号",) and plan.key_fields == ["gong_hao"]
    assert set(fields["部门"].codes) == {"HR", "FIN", "IT", "OPS", "hr"}


def test_only_the_steps_the_types_need_are_active(staff: tuple[ObjectPlan, SourceProfile]) -> None:
    steps = {s.op: s for s in staff[0].steps}
    assert {op for op, s in steps.items() if s.active} == {"parse_date", "parse_decimal"}
    assert steps["parse_date"].fields == ("ru_zhi_ri_qi",)
    assert steps["phone_e164"].fields == ("shou_ji",) and not steps["phone_e164"].active
    assert list(steps).index("remove_control") < list(steps).index("phone_e164")
    assert [s.id for s in staff[0].steps] == [f"STA-{10 * i:03d}" for i in range(1, len(steps) + 1)]


def test_near_duplicates_give_a_match_section(staff: tuple[ObjectPlan, SourceProfile]) -> None:
    match = staff[0].match
    assert match is not None
    assert {b["key"][0]["field"] for b in match["blocking"]} == {
        "shou_ji",
        "you_xiang",
        "xing_ming",
    }
    assert "gong_hao" not in {c["field"] for c in match["compare"]}


def test_without_a_unique_column_the_best_candidate_is_used_with_a_warning() -> None:
    frame = pd.DataFrame({"code": [f"C{i % 95}" for i in range(100)], "v": ["x"] * 100})
    profile = profile_frame(frame.astype("str"), "t", "csv", "t.csv")
    plan = plan_object(SourceSpec(name="t", system="S", kind="csv", path="t.csv"), profile, "T")
    assert plan.key_columns == ("code",)
    assert "no usable key" in plan.warnings[0]


def test_rule_prefixes_are_unique() -> None:
    taken: set[str] = set()
    assert [rule_prefix(n, taken) for n in ("customers", "customer_2", "客户")] == [
        "CUS",
        "CUS2",
        "KEH",
    ]


def test_paths_inside_the_project_become_relative(tmp_path: pytest.TempPathFactory) -> None:
    project, cwd = tmp_path / "p", tmp_path  # type: ignore[operator]
    inside = SourceSpec(name="a", system="S", kind="csv", path="p/data/a.csv")
    outside = SourceSpec(name="b", system="S", kind="csv", path="other/b.csv")
    sqlite = SourceSpec(name="c", system="S", kind="sql", url="sqlite:///p/c.db", table="T")
    assert relative_location(inside, project, cwd).path == "data/a.csv"
    assert relative_location(outside, project, cwd).path == str(tmp_path / "other/b.csv")  # type: ignore[operator]
    assert relative_location(sqlite, project, cwd).url == "sqlite:///c.db"
