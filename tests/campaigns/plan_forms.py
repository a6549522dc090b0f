"""POST data of the campaign planning form, as a browser sends it, for a `planning.World`."""

from __future__ import annotations

STRATA = [("A", "10", ""), ("B", "20", ""), ("C", "", "3"), ("D", "50", "")]


def campaign_post(world, *, strata=STRATA, slots=None, **overrides) -> dict:
    if slots is None:
        slots = [
            (world.bureau.pk, world.hazchem.pk),
            (world.bureau.pk, ""),
            (world.market.pk, ""),
        ]
    data = {
        "title": "危险化学品经营企业联合抽查",
        "kind": "joint",
        "lead_department": world.bureau.pk,
        "participating_departments": [world.market.pk],
        "joint_list": "",
        "items": [world.item.pk],
        "scope_key_supervision": "all",
        "stratification": "credit",
        "inspector_cap": "",
        "lookback_months": "12",
        "annual_cap": "",
        "starts_on": world.starts_on.isoformat(),
        "ends_on": world.ends_on.isoformat(),
        "alternates": "3",
        "external_randomness": "中国福利彩票快乐8第2025128期开奖号码",
        "notes": "",
        "stratum-TOTAL_FORMS": str(len(strata)),
        "stratum-INITIAL_FORMS": "0",
        "slot-TOTAL_FORMS": str(len(slots)),
        "slot-INITIAL_FORMS": "0",
    }
    for index, (stratum, ratio, count) in enumerate(strata):
        data[f"stratum-{index}-stratum"] = stratum
        data[f"stratum-{index}-ratio"] = ratio
        data[f"stratum-{index}-fixed_count"] = count
    for index, (department, tag) in enumerate(slots):
        data[f"slot-{index}-department"] = department
        data[f"slot-{index}-tag"] = tag
    data.update(overrides)
    return data
