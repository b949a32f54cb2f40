"""The ledger: one fate per legacy row, findings kept apart, merged rows follow survivors."""

from __future__ import annotations

import pandas as pd

from migrate.ledger import Ledger


def _rows(n: int, system: str = "ERP") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "_rid": range(n),
            "_system": system,
            "_source": "s",
            "_key": [f"K{i}" for i in range(n)],
            "_row": range(2, n + 2),
        }
    )


def test_first_fate_wins_and_all_findings_are_kept() -> None:
    ledger = Ledger()
    rows = _rows(3)
    ledger.register("c", rows)
    ledger.reject("c", rows.iloc[[0]], stage="cleanse", rule="R1", reason="bad one", field="a")
    ledger.reject("c", rows.iloc[[0]], stage="validate", rule="R2", reason="bad two", field="b")
    ledger.warn("c", rows.iloc[[1]], stage="cleanse", rule="W1", reason="odd")
    ledger.loaded("c", [1, 2], pd.Series(["K1", "K2"]))
    fates = ledger.rows("c").set_index("_key")
    assert fates.loc["K0", "fate"] == "rejected" and fates.loc["K0", "rule"] == "R1"
    assert fates.loc["K1", "fate"] == "loaded"
    findings = ledger.findings("c")
    assert sorted(findings["rule"]) == ["R1", "R2", "W1"]
    assert set(findings.loc[findings["rule"] == "W1", "severity"]) == {"warn"}
    assert findings.loc[findings["rule"] == "R2", "_key"].tolist() == ["K0"]


def test_members_follow_their_survivor() -> None:
    ledger = Ledger()
    ledger.register("c", _rows(6))
    ledger.set_members(
        "c",
        pd.DataFrame(
            {"_rid": [1, 3, 5], "survivor_rid": [0, 2, 4], "golden_key": ["K0", "K2", "K4"]}
        ),
    )
    ledger.loaded("c", [0], pd.Series(["K0"]))
    ledger.reject("c", _rows(6).iloc[[2]], stage="validate", rule="R9", reason="no")
    ledger.out_of_scope("c", [4], "pilot")
    ledger.settle_members("c")
    fates = ledger.rows("c").set_index("_key")
    assert fates.loc["K1", "fate"] == "merged" and fates.loc["K1", "target_key"] == "K0"
    assert fates.loc["K3", "fate"] == "rejected" and fates.loc["K3", "rule"] == "R9"
    assert fates.loc["K5", "fate"] == "out_of_scope"


def test_funnel_counts_per_system_and_unaccounted() -> None:
    ledger = Ledger()
    frame = pd.concat([_rows(2, "ERP"), _rows(3, "CRM").assign(_rid=[2, 3, 4])], ignore_index=True)
    ledger.register("c", frame)
    ledger.loaded("c", [0, 2], pd.Series(["a", "b"]))
    ledger.out_of_scope("c", [3], "pilot")
    funnel = ledger.funnel().set_index("system")
    assert funnel.loc["ERP", "extracted"] == 2 and funnel.loc["ERP", "unaccounted"] == 1
    assert funnel.loc["CRM", "loaded"] == 1 and funnel.loc["CRM", "out_of_scope"] == 1
    assert funnel["extracted"].sum() == 5


def test_chunk_ledgers_are_absorbed_in_order_in_the_objects_place() -> None:
    ledger = Ledger()
    ledger.register("c", _rows(2))
    ledger.register("o", _rows(4).iloc[0:0])  # holds the place of a streamed object
    ledger.register("z", _rows(1))
    rows = _rows(4)
    first = ledger.for_chunk("o", rows.iloc[:2])
    second = ledger.for_chunk("o", rows.iloc[2:])
    assert first.rows("c").equals(ledger.rows("c"))  # other objects are shared
    first.reject("o", rows.iloc[[1]], stage="map", rule="R1", reason="bad")
    second.warn("o", rows.iloc[[3]], stage="cleanse", rule="W1", reason="odd")
    ledger.absorb("o", [first, second])
    assert ledger.objects() == ["c", "o", "z"]
    absorbed = ledger.rows("o")
    assert absorbed["_key"].tolist() == ["K0", "K1", "K2", "K3"]
    assert absorbed["fate"].tolist()[1] == "rejected"
    assert ledger.findings("o")[["_key", "rule"]].values.tolist() == [["K1", "R1"], ["K3", "W1"]]
    ledger.loaded("o", [0, 2, 3], pd.Series(["K0", "K2", "K3"]))
    assert ledger.funnel().set_index("object").loc["o", "loaded"] == 3


def test_findings_read_again_include_a_finding_recorded_in_between() -> None:
    ledger = Ledger()
    rows = _rows(3)
    ledger.register("c", rows)
    ledger.warn("c", rows.iloc[[0]], stage="cleanse", rule="W1", reason="odd")
    first = ledger.findings("c")
    first.loc[0, "rule"] = "changed by a caller"
    ledger.reject("c", rows.iloc[[2]], stage="validate", rule="R1", reason="bad")
    assert ledger.findings("c")["rule"].tolist() == ["W1", "R1"]
    assert ledger.findings()["_key"].tolist() == ["K0", "K2"]
