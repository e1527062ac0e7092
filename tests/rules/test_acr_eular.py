"""The 2019 ACR/EULAR calculator (brief §6): grid, units, every item, worked checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from helpers import acr, answers

from desktop_app.rules import LoadedProtocol, evaluate


def total(protocol: LoadedProtocol, doc: dict[str, Any]) -> int:
    return evaluate(protocol, doc).acr_eular.total


def domain_points(protocol: LoadedProtocol, doc: dict[str, Any], domain: str) -> int:
    scores = evaluate(protocol, doc).acr_eular.domains
    return next(s.points for s in scores if s.domain == domain)


# Rule: immunostaining scores by the grid; rows are the IgG4+:IgG+ ratio R, columns the
# IgG4+ cells per hpf C; "indeterminate" is a deliberate answer scoring as in the grid.
RATIOS = {
    "r_le_40": 40,
    "r_40_70": 70,
    "r_gt_70": Decimal("70.1"),
    "indeterminate": "indeterminate",
}
CELLS = {"c_lt_10": Decimal("9.9"), "c_10_50": 10, "c_gt_50": 51, "indeterminate": "indeterminate"}
GRID = {
    ("r_le_40", "c_lt_10"): 0, ("r_le_40", "c_10_50"): 7, ("r_le_40", "c_gt_50"): 7,
    ("r_le_40", "indeterminate"): 7,
    ("r_40_70", "c_lt_10"): 7, ("r_40_70", "c_10_50"): 14, ("r_40_70", "c_gt_50"): 14,
    ("r_40_70", "indeterminate"): 7,
    ("r_gt_70", "c_lt_10"): 7, ("r_gt_70", "c_10_50"): 14, ("r_gt_70", "c_gt_50"): 16,
    ("r_gt_70", "indeterminate"): 7,
    ("indeterminate", "c_lt_10"): 0, ("indeterminate", "c_10_50"): 7,
    ("indeterminate", "c_gt_50"): 7, ("indeterminate", "indeterminate"): 7,
}  # fmt: skip


@pytest.mark.parametrize(("cell", "points"), GRID.items(), ids=[f"{r}-{c}" for r, c in GRID])
def test_all_16_immunostaining_cells(
    protocol: LoadedProtocol, cell: tuple[str, str], points: int
) -> None:
    row, col = cell
    doc = acr(
        acr_immunostaining="performed",
        acr_igg4_igg_ratio=RATIOS[row],
        acr_igg4_cells_per_hpf=CELLS[col],
    )
    score = next(
        s for s in evaluate(protocol, doc).acr_eular.domains if s.domain == "immunostaining"
    )
    assert score.points == points
    assert score.detail["ratio_band"] == row
    assert score.detail["cell_band"] == col


@pytest.mark.parametrize(
    ("ratio", "cells", "points"),
    [
        (40, 50, 7),  # R = 40 is in the lowest row; C = 50 is in the middle column
        (Decimal("40.01"), 50, 14),
        (70, 51, 14),  # R = 70 is still the middle row
        (Decimal("70.01"), Decimal("50.01"), 16),
        (100, 10, 14),
        (0, 0, 0),
    ],
)
def test_immunostaining_band_edges(
    protocol: LoadedProtocol, ratio: Any, cells: Any, points: int
) -> None:
    doc = acr(
        acr_immunostaining="performed", acr_igg4_igg_ratio=ratio, acr_igg4_cells_per_hpf=cells
    )
    assert domain_points(protocol, doc, "immunostaining") == points


def test_staining_not_performed_scores_zero(protocol: LoadedProtocol) -> None:
    # Decision: staining not performed scores 0.
    assert domain_points(protocol, acr(acr_immunostaining="not_performed"), "immunostaining") == 0


# Rule: serum IgG4 against the lab's ULN; r <= 1 -> 0, 1 < r < 2 -> 4, 2 <= r <= 5 -> 6, r > 5 -> 11;
# the same ratio gives the same points in mg/dL, mg/L and g/L.
ULN = {"mg/dL": Decimal("135"), "mg/L": Decimal("1350"), "g/L": Decimal("1.35")}
MULTIPLES = [
    ("1", 0), ("1.0001", 4), ("1.99", 4), ("2", 6), ("3.3", 6), ("5", 6), ("5.0001", 11), ("0.5", 0),
]  # fmt: skip


@pytest.mark.parametrize("unit", ULN)
@pytest.mark.parametrize(("multiple", "points"), MULTIPLES)
def test_serum_igg4_multiples_in_each_unit(
    protocol: LoadedProtocol, unit: str, multiple: str, points: int
) -> None:
    uln = Decimal(ULN[unit])
    doc = acr(
        serum_igg4_measured=True,
        serum_igg4_value=uln * Decimal(multiple),
        serum_igg4_uln=ULN[unit],
        serum_igg4_unit=unit,
    )
    assert domain_points(protocol, doc, "serum_igg4") == points


@pytest.mark.parametrize(("value", "points"), [(1.35, 0), (2.70, 6), (6.75, 6), (6.76, 11)])
def test_serum_igg4_boundaries_from_json_floats(
    protocol: LoadedProtocol, value: float, points: int
) -> None:
    # 6.75 g/L is exactly 5 x 1.35: binary floating point would call it 5.000000000000001.
    doc = acr(
        serum_igg4_measured=True, serum_igg4_value=value, serum_igg4_uln=1.35, serum_igg4_unit="g/L"
    )
    assert domain_points(protocol, doc, "serum_igg4") == points


def test_serum_igg4_not_measured_scores_zero(protocol: LoadedProtocol) -> None:
    assert domain_points(protocol, acr(serum_igg4_measured=False), "serum_igg4") == 0


# Rule: every item of every choice domain gives the points of the brief's table.
CHOICE_ITEMS = [
    ("acr_histopathology", "histopathology", "none", 0),
    ("acr_histopathology", "histopathology", "dense_lymphocytic", 4),
    ("acr_histopathology", "histopathology", "obliterative_phlebitis", 6),
    ("acr_histopathology", "histopathology", "storiform_fibrosis", 13),
    ("acr_chest", "chest", "not_checked", 0),
    ("acr_chest", "chest", "none", 0),
    ("acr_chest", "chest", "peribronchovascular", 4),
    ("acr_chest", "chest", "paravertebral", 10),
    ("acr_pancreas_biliary", "pancreas_biliary", "not_checked", 0),
    ("acr_pancreas_biliary", "pancreas_biliary", "none", 0),
    ("acr_pancreas_biliary", "pancreas_biliary", "biliary_only", 0),  # Decision: biliary alone 0
    ("acr_pancreas_biliary", "pancreas_biliary", "diffuse_enlargement", 8),
    ("acr_pancreas_biliary", "pancreas_biliary", "enlargement_with_rim", 11),
    ("acr_pancreas_biliary", "pancreas_biliary", "pancreas_and_biliary", 19),
    ("acr_kidney", "kidney", "not_checked", 0),
    ("acr_kidney", "kidney", "none", 0),
    ("acr_kidney", "kidney", "hypocomplementemia", 6),
    ("acr_kidney", "kidney", "renal_pelvis", 8),
    ("acr_kidney", "kidney", "renal_cortex", 10),
    ("acr_retroperitoneum", "retroperitoneum", "not_checked", 0),
    ("acr_retroperitoneum", "retroperitoneum", "none", 0),
    ("acr_retroperitoneum", "retroperitoneum", "aortic_wall", 4),
    ("acr_retroperitoneum", "retroperitoneum", "periaortic_soft_tissue", 8),
]


@pytest.mark.parametrize(("question", "domain", "item", "points"), CHOICE_ITEMS)
def test_every_domain_item(
    protocol: LoadedProtocol, question: str, domain: str, item: str, points: int
) -> None:
    doc = acr(**{question: item})
    assert domain_points(protocol, doc, domain) == points
    assert total(protocol, doc) == points


# Rule: a gland set is both glands of a pair; none 0, one set 6, two or more sets 14.
@pytest.mark.parametrize(
    ("sets", "points"),
    [
        ([], 0),
        (["lacrimal"], 6),
        (["parotid"], 6),
        (["lacrimal", "submandibular"], 14),
        (["lacrimal", "parotid", "sublingual", "submandibular"], 14),
        (["parotid", "parotid"], 6),  # the same pair twice is one set
    ],
)
def test_gland_sets(protocol: LoadedProtocol, sets: list[str], points: int) -> None:
    assert domain_points(protocol, acr(acr_gland_sets=sets), "glands") == points


# The brief's worked checks.
def test_worked_storiform_plus_igg4_over_5x_is_24_classified(protocol: LoadedProtocol) -> None:
    doc = acr(acr_histopathology="storiform_fibrosis", serum_igg4_measured=True,
              serum_igg4_value=700, serum_igg4_uln=135, serum_igg4_unit="mg/dL")  # fmt: skip
    result = evaluate(protocol, doc).acr_eular
    assert (result.total, result.classified) == (24, True)


def test_worked_pancreas_with_biliary_alone_not_classified(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, acr(acr_pancreas_biliary="pancreas_and_biliary")).acr_eular
    assert (result.total, result.classified) == (19, False)


def test_worked_19_plus_hypocomplementemia_is_25_classified(protocol: LoadedProtocol) -> None:
    doc = acr(acr_pancreas_biliary="pancreas_and_biliary", acr_kidney="hypocomplementemia")
    result = evaluate(protocol, doc).acr_eular
    assert (result.total, result.classified) == (25, True)


def test_worked_two_gland_sets_plus_igg4_2_to_5x_is_20_classified(protocol: LoadedProtocol) -> None:
    doc = acr(acr_gland_sets=["lacrimal", "submandibular"], serum_igg4_measured=True,
              serum_igg4_value=270, serum_igg4_uln=135, serum_igg4_unit="mg/dL",
              involved_organs=["lacrimal_glands", "salivary_glands"])  # fmt: skip
    result = evaluate(protocol, doc)
    assert (result.acr_eular.total, result.acr_eular.classified) == (20, True)
    assert result.criterion("I3").verdict == "met"


def test_worked_60_points_with_any_exclusion_not_classified(protocol: LoadedProtocol) -> None:
    doc = acr(acr_histopathology="storiform_fibrosis", acr_pancreas_biliary="pancreas_and_biliary",
              acr_kidney="renal_cortex", acr_retroperitoneum="periaortic_soft_tissue",
              acr_chest="paravertebral", acr_exclusions=["fever"])  # fmt: skip
    result = evaluate(protocol, doc)
    assert result.acr_eular.total == 60
    assert result.acr_eular.classified is False
    assert result.criterion("I3").verdict == "not_met"
    assert result.criterion("I3").reason == "acr_exclusion_present"


def test_maximum_is_101(protocol: LoadedProtocol) -> None:
    doc = acr(acr_histopathology="storiform_fibrosis", acr_immunostaining="performed",
              acr_igg4_igg_ratio=80, acr_igg4_cells_per_hpf=60, serum_igg4_measured=True,
              serum_igg4_value=10, serum_igg4_uln=1, serum_igg4_unit="g/L",
              acr_gland_sets=["lacrimal", "parotid"], acr_chest="paravertebral",
              acr_pancreas_biliary="pancreas_and_biliary", acr_kidney="renal_cortex",
              acr_retroperitoneum="periaortic_soft_tissue")  # fmt: skip
    assert total(protocol, doc) == 101


def test_entry_not_met_is_not_classified(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(acr_entry=False))
    assert result.acr_eular.classified is False
    assert result.criterion("I3").reason == "acr_entry_not_met"


# Rule: each of the 23 exclusion items, when present, prevents classification.
UNCONDITIONAL = [
    "fever", "no_gc_response", "cytopenias", "eosinophilia", "anca", "ssa_ssb", "dsdna_rnp_sm",
    "other_autoantibody", "cryoglobulinemia", "suspicious_imaging", "rapid_progression",
    "erdheim_chester_bones", "splenomegaly", "malignant_infiltrate", "imt_markers",
    "neutrophilic_inflammation", "necrotizing_vasculitis", "prominent_necrosis",
    "granulomatous_inflammation", "histiocytic_disorder", "castleman",
]  # fmt: skip


def test_protocol_has_23_exclusion_items(protocol: LoadedProtocol) -> None:
    ids = [e.id for e in protocol.protocol.acr_eular.exclusions]
    assert len(ids) == 23
    assert set(ids) == {*UNCONDITIONAL, "ibd_pancreatobiliary", "hashimoto"}


@pytest.mark.parametrize("item", UNCONDITIONAL)
def test_each_unconditional_exclusion(protocol: LoadedProtocol, item: str) -> None:
    result = evaluate(protocol, answers(acr_exclusions=[item]))
    assert result.acr_eular.exclusions_present == (item,)
    assert result.determination == "ineligible"
    assert result.failing == ("I3",)


# Rule: Crohn/UC excludes only when the disease is limited to the pancreas and biliary tree;
# Hashimoto only when the thyroid is the only organ involved.
@pytest.mark.parametrize(
    ("item", "organs", "counts"),
    [
        ("ibd_pancreatobiliary", ["pancreas"], True),
        ("ibd_pancreatobiliary", ["pancreas", "bile_ducts"], True),
        ("ibd_pancreatobiliary", ["bile_ducts"], True),
        ("ibd_pancreatobiliary", ["pancreas", "kidney"], False),
        ("hashimoto", ["thyroid"], True),
        ("hashimoto", ["thyroid", "lung"], False),
        ("hashimoto", ["pancreas"], False),
    ],
)
def test_conditional_exclusions(
    protocol: LoadedProtocol, item: str, organs: list[str], counts: bool
) -> None:
    result = evaluate(protocol, answers(acr_exclusions=[item], involved_organs=organs)).acr_eular
    assert (item in result.exclusions_present) is counts
    assert (item in result.exclusions_not_counted) is not counts


def test_conditional_exclusion_waits_for_organs(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(acr_exclusions=["hashimoto"], involved_organs=None))
    assert result.acr_eular.classified is None
    assert "involved_organs" in result.missing


def test_open_domains_keep_classification_open_until_unreachable(protocol: LoadedProtocol) -> None:
    open_doc = acr(acr_pancreas_biliary="pancreas_and_biliary", acr_kidney=None)
    result = evaluate(protocol, open_doc)
    assert result.acr_eular.classified is None
    assert result.determination == "incomplete"
    assert "acr_kidney" in result.missing
    # With only the chest open, 0 points elsewhere can reach at most 10 < 20: already not classified.
    closed = evaluate(protocol, acr(acr_chest=None))
    assert closed.acr_eular.classified is False
    assert closed.acr_eular.maximum_reachable == 10
