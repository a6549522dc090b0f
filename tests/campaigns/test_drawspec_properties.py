"""Property tests of the draw engine, campaigns/drawspec.py (spec sjz-draw/1), with hypothesis.

Plain functions, no Django. Hypothesis builds small random campaigns (strata, a pool with
departments and tags, slots, a cap, exclusions, sources) and each test states one property the
specification promises. The manifests built here are valid, so their lists are in canonical
order, as the platform always writes them; a manifest listed in another order is not a valid
manifest, which test_it_reports_a_manifest_listed_out_of_order checks.
"""

from __future__ import annotations

import copy
import hashlib
import json
import unicodedata
from collections import Counter

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from campaigns import drawspec

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
DEPARTMENTS = ["石家庄市应急管理局", "石家庄市市场监督管理局"]
TAGS = ["危险化学品", "工贸", "非煤矿山"]
CHECK_NAMES = ["manifest", "nonce", "selection", "teams", "result"]

settings.register_profile(
    "drawspec",
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ folder left in the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
DEFAULTS = settings.get_profile("drawspec")


def with_check_character(first_17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first_17, USCC_WEIGHTS, strict=True))
    check = 31 - total % 31
    return first_17 + USCC_ALPHABET[0 if check == 31 else check]


def canonical_digest(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- A literal reading of §3-§5, written for clarity, not speed ---------------------------------


class ReferenceDrawError(Exception):
    def __init__(self, uscc, slot_index):
        super().__init__(uscc, slot_index)
        self.uscc, self.slot_index = uscc, slot_index


def reference_result(manifest, exclusions, sources):
    key = "".join(unicodedata.normalize("NFC", source.strip()) + "/" for source in sources)
    campaign = manifest["campaign"]

    def h(*parts):
        return hashlib.sha256("\n".join(parts).encode("utf-8")).digest()

    picks, alternates = [], {}
    for stratum in manifest["strata"]:
        ordered = sorted(stratum["members"], key=lambda u: (h(key, "entity", campaign, u), u))
        quota = stratum["quota"]
        picks += [(h(key, "entity", campaign, u), u, stratum["label"]) for u in ordered[:quota]]
        alternates[stratum["label"]] = ordered[quota : quota + manifest["alternates"]]
    picks.sort()
    excluded = {tuple(pair) for pair in exclusions}
    load = {inspector["id"]: 0 for inspector in manifest["pool"]}
    selected = []
    for score, u, label in picks:
        team, over_cap = [], []
        for index, slot in enumerate(manifest["slots"]):
            candidates = [
                i
                for i in manifest["pool"]
                if i["id"] not in team
                and (u, i["id"]) not in excluded
                and (slot["department"] is None or i["department"] == slot["department"])
                and (slot["tag"] is None or slot["tag"] in i["tags"])
            ]
            if not candidates:
                raise ReferenceDrawError(u, index)
            under_cap = [i for i in candidates if load[i["id"]] < manifest["cap"]]
            if not under_cap:
                over_cap.append(index)
            chosen = min(
                under_cap or candidates,
                key=lambda i: (h(key, "inspector", campaign, u, i["id"]), i["id"]),
            )
            team.append(chosen["id"])
            load[chosen["id"]] += 1
        selected.append(
            {"uscc": u, "stratum": label, "score": score.hex(), "team": team, "over_cap": over_cap}
        )
    return {"selected": selected, "alternates": alternates}


# --- Random campaigns ---------------------------------------------------------------------------

usccs = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17).map(with_check_character)


@st.composite
def campaigns(draw, *, lenient_slots: bool = False):
    """Return (manifest, exclusions, sources) for a valid manifest."""
    register = draw(st.lists(usccs, min_size=1, max_size=14, unique=True))
    cut_points = sorted(draw(st.lists(st.integers(0, len(register)), min_size=0, max_size=2)))
    groups = [
        register[a:b] for a, b in zip([0, *cut_points], [*cut_points, len(register)], strict=True)
    ]
    strata = []
    for number, members in enumerate(groups):
        quota = draw(st.integers(0, len(members)))
        ratio = draw(st.sampled_from([None, "3", "5", "12.5", "100"]))
        label = ["A级（低风险）", "B级（一般风险）", "D级（高风险）"][number]
        strata.append({"label": label, "ratio": ratio, "quota": quota, "members": sorted(members)})
    pool_size = draw(st.integers(2, 8))
    pool = [
        {
            "id": f"1301002{number:04d}",
            "department": draw(st.sampled_from(DEPARTMENTS)),
            "tags": sorted(draw(st.sets(st.sampled_from(TAGS), max_size=2))),
        }
        for number in range(pool_size)
    ]
    slot_values = st.fixed_dictionaries(
        {
            "department": st.sampled_from([None, None, *DEPARTMENTS]),
            "tag": st.sampled_from([None, None, None, *TAGS]),
        }
    )
    if lenient_slots:
        slot_values = st.just({"department": None, "tag": None})
    slots = draw(st.lists(slot_values, min_size=2, max_size=3))
    all_pairs = [(u, inspector["id"]) for u in register for inspector in pool]
    exclusions = sorted(draw(st.sets(st.sampled_from(all_pairs), max_size=6)))
    exclusions = [list(pair) for pair in exclusions]
    manifest = {
        "campaign": draw(st.sampled_from(["石应急抽〔2024〕3号", "石应急抽〔2025〕12号"])),
        "strata": strata,
        "pool": pool,
        "slots": slots,
        "cap": draw(st.integers(1, 3)),
        "alternates": draw(st.integers(0, 3)),
        "exclusions_sha256": canonical_digest(exclusions),
    }
    nonce = draw(st.binary(min_size=32, max_size=32)).hex()
    public = draw(
        st.lists(st.text(alphabet="0123456789 期福利彩票第\u3000\u0301e", max_size=12), max_size=2)
    )
    return manifest, exclusions, [nonce, *public]


def draw_or_none(manifest, exclusions, sources):
    """Draw, or return None when §5.2 step 2 fails, checking the failure is the real one."""
    try:
        return drawspec.draw(manifest, exclusions, sources)
    except drawspec.DrawError as error:
        try:
            reference_result(manifest, exclusions, sources)
        except ReferenceDrawError as expected:
            assert (error.uscc, error.slot_index) == (expected.uscc, expected.slot_index)
            return None
        raise AssertionError("the engine failed a draw that the specification completes") from None


def drawn_campaigns(**options):
    """(manifest, exclusions, sources, document) for draws that complete."""
    return (
        campaigns(**options)
        .map(lambda campaign: (*campaign, draw_or_none(*campaign)))
        .filter(lambda drawn: drawn[3] is not None)
    )


def statuses(checks):
    return {check.name: check.status for check in checks}


def count_selected(document):
    return len(document["result"]["selected"])


# --- The properties -----------------------------------------------------------------------------


@settings(DEFAULTS, max_examples=150)
@given(campaigns())
def test_it_matches_a_literal_reading_of_the_spec(campaign):
    manifest, exclusions, sources = campaign
    document = draw_or_none(manifest, exclusions, sources)
    if document is not None:
        assert document["result"] == reference_result(manifest, exclusions, sources)


@settings(DEFAULTS)
@given(drawn_campaigns())
def test_it_gives_the_same_document_for_the_same_inputs(drawn):
    manifest, exclusions, sources, document = drawn
    again = drawspec.draw(copy.deepcopy(manifest), copy.deepcopy(exclusions), list(sources))
    assert drawspec.canonical_json(again) == drawspec.canonical_json(document)


@settings(DEFAULTS)
@given(drawn_campaigns(), st.randoms(use_true_random=False))
def test_it_ignores_the_listing_order_of_the_exclusions(drawn, random):
    manifest, exclusions, sources, document = drawn
    shuffled = [list(pair) for pair in exclusions] + [list(pair) for pair in exclusions[:1]]
    random.shuffle(shuffled)
    assert drawspec.draw(manifest, shuffled, sources) == document
    assert all(check.status == "passed" for check in drawspec.verify(document, shuffled))


@settings(DEFAULTS)
@given(campaigns(), st.randoms(use_true_random=False), st.sampled_from(["members", "pool", "tags"]))
def test_it_reports_a_manifest_listed_out_of_order(campaign, random, which):
    manifest, exclusions, sources = campaign
    shuffled = copy.deepcopy(manifest)
    if which == "members":
        target = max((stratum["members"] for stratum in shuffled["strata"]), key=len)
    elif which == "pool":
        target = shuffled["pool"]
    else:
        target = max((inspector["tags"] for inspector in shuffled["pool"]), key=len)
    before = list(target)
    random.shuffle(target)
    assume(target != before)
    assert drawspec.manifest_problems(shuffled)
    try:
        drawspec.draw(shuffled, exclusions, sources)
    except ValueError as error:
        assert "§2" in str(error)
    else:
        raise AssertionError("a manifest out of order was drawn")


@settings(DEFAULTS)
@given(drawn_campaigns())
def test_it_meets_every_quota_and_lists_the_right_number_of_alternates(drawn):
    manifest, _, _, document = drawn
    result = document["result"]
    per_stratum = Counter(entry["stratum"] for entry in result["selected"])
    for stratum in manifest["strata"]:
        members = stratum["members"]
        assert per_stratum[stratum["label"]] == stratum["quota"]
        alternates = result["alternates"][stratum["label"]]
        assert len(alternates) == min(manifest["alternates"], len(members) - stratum["quota"])
        chosen = {e["uscc"] for e in result["selected"] if e["stratum"] == stratum["label"]}
        assert chosen | set(alternates) <= set(members)
        assert not chosen & set(alternates)
    assert set(result["alternates"]) == {stratum["label"] for stratum in manifest["strata"]}


@settings(DEFAULTS)
@given(drawn_campaigns())
def test_it_forms_teams_of_distinct_matching_inspectors_never_excluded(drawn):
    manifest, exclusions, _, document = drawn
    excluded = {tuple(pair) for pair in exclusions}
    by_id = {inspector["id"]: inspector for inspector in manifest["pool"]}
    for entry in document["result"]["selected"]:
        team = entry["team"]
        assert len(team) == len(manifest["slots"])
        assert len(set(team)) == len(team)
        for inspector_id, slot in zip(team, manifest["slots"], strict=True):
            assert (entry["uscc"], inspector_id) not in excluded
            inspector = by_id[inspector_id]
            assert slot["department"] in (None, inspector["department"])
            assert slot["tag"] is None or slot["tag"] in inspector["tags"]


@settings(DEFAULTS)
@given(drawn_campaigns())
def test_it_keeps_loads_within_the_cap_unless_over_cap_says_so(drawn):
    manifest, _, _, document = drawn
    load = Counter()
    for entry in document["result"]["selected"]:
        for slot_index, inspector_id in enumerate(entry["team"]):
            # A slot is over the cap exactly when its inspector was at the cap already.
            assert (slot_index in entry["over_cap"]) == (load[inspector_id] >= manifest["cap"])
            load[inspector_id] += 1
    flagged = Counter(
        entry["team"][slot_index]
        for entry in document["result"]["selected"]
        for slot_index in entry["over_cap"]
    )
    for inspector_id, count in load.items():
        assert count <= manifest["cap"] + flagged[inspector_id]


@settings(DEFAULTS)
@given(drawn_campaigns())
def test_verify_passes_on_a_fresh_document(drawn):
    _, exclusions, _, document = drawn
    document = json.loads(json.dumps(document))  # as a reader downloads it
    assert statuses(drawspec.verify(document)) == dict.fromkeys(CHECK_NAMES, "passed") | {
        "teams": "skipped"
    }
    assert all(check.status == "passed" for check in drawspec.verify(document, exclusions))


@settings(DEFAULTS)
@given(drawn_campaigns(), st.data())
def test_verify_fails_when_a_selected_uscc_is_changed(drawn, data):
    _, _, _, document = drawn
    assume(count_selected(document) >= 1)
    index = data.draw(st.integers(0, count_selected(document) - 1))
    replacement = data.draw(usccs)
    assume(replacement != document["result"]["selected"][index]["uscc"])
    document["result"]["selected"][index]["uscc"] = replacement
    checks = statuses(drawspec.verify(document))
    assert checks["selection"] == "failed"
    assert checks["result"] == "failed"


@settings(DEFAULTS)
@given(drawn_campaigns(), st.data())
def test_verify_fails_when_any_source_is_changed(drawn, data):
    _, _, sources, document = drawn
    # With nothing selected the result carries no score, and a lone alternate is in the same
    # place under any key: only the nonce check could notice then.
    assume(count_selected(document) >= 1)
    index = data.draw(st.integers(0, len(sources) - 1))
    document["sources"][index] = sources[index] + "1"
    checks = statuses(drawspec.verify(document))
    if index == 0:
        assert checks["nonce"] == "failed"
    else:
        assert checks["nonce"] == "passed"
    assert checks["selection"] == "failed"


MANIFEST_CHANGES = {
    "campaign": lambda m: m.update(campaign=m["campaign"] + "补"),
    "stratum label": lambda m: m["strata"][0].update(label="Z级"),
    "stratum ratio": lambda m: m["strata"][0].update(ratio="99"),
    "stratum quota": lambda m: m["strata"][0].update(quota=m["strata"][0]["quota"] ^ 1),
    "stratum member": lambda m: m["strata"][0]["members"].append("91130100MA0000000X"),
    "inspector id": lambda m: m["pool"][0].update(id="13010019999"),
    "inspector department": lambda m: m["pool"][0].update(department="石家庄市消防救援支队"),
    "inspector tags": lambda m: m["pool"][0].update(tags=["职业健康"]),
    "slot": lambda m: m["slots"][0].update(tag="烟花爆竹"),
    "cap": lambda m: m.update(cap=m["cap"] + 1),
    "alternates": lambda m: m.update(alternates=m["alternates"] + 1),
    "exclusions_sha256": lambda m: m.update(exclusions_sha256="0" * 64),
}


@settings(DEFAULTS)
@given(drawn_campaigns(), st.sampled_from(sorted(MANIFEST_CHANGES)))
def test_verify_fails_when_any_manifest_field_is_changed(drawn, field):
    _, _, _, document = drawn
    MANIFEST_CHANGES[field](document["manifest"])
    assert statuses(drawspec.verify(document))["manifest"] == "failed"


@settings(DEFAULTS)
@given(drawn_campaigns(), st.data())
def test_verify_fails_when_any_team_member_is_changed(drawn, data):
    manifest, exclusions, _, document = drawn
    assume(count_selected(document) >= 1)
    entry = data.draw(st.sampled_from(document["result"]["selected"]))
    slot_index = data.draw(st.integers(0, len(entry["team"]) - 1))
    others = [i["id"] for i in manifest["pool"] if i["id"] != entry["team"][slot_index]]
    entry["team"][slot_index] = data.draw(st.sampled_from(others))
    document["result_sha256"] = drawspec.sha256_hex(drawspec.canonical_json(document["result"]))
    checks = statuses(drawspec.verify(document, exclusions))
    assert checks["teams"] == "failed"
    assert checks["selection"] == checks["result"] == "passed"


@settings(DEFAULTS)
@given(drawn_campaigns(), st.data())
def test_the_teams_check_is_skipped_without_exclusions_and_fails_with_wrong_ones(drawn, data):
    manifest, exclusions, _, document = drawn
    assert statuses(drawspec.verify(document))["teams"] == "skipped"
    extra = [manifest["pool"][0]["id"], "91130100MA0000000X"][::-1]
    wrong = data.draw(st.sampled_from([exclusions[1:], [*exclusions, extra]]))
    assume(drawspec.exclusions_digest(wrong) != drawspec.exclusions_digest(exclusions))
    assert statuses(drawspec.verify(document, wrong))["teams"] == "failed"


@settings(DEFAULTS)
@given(drawn_campaigns(lenient_slots=True), st.data())
def test_replacements_take_the_next_alternates_and_keep_teams_valid(drawn, data):
    manifest, exclusions, _, document = drawn
    assume(count_selected(document) >= 1)
    excluded = {tuple(pair) for pair in exclusions}
    records: list[dict] = []
    current = {e["uscc"]: e["stratum"] for e in document["result"]["selected"]}
    for _ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(sorted(current)))
        stratum = current[target]
        used = {r["replacement"] for r in records}
        left = [u for u in document["result"]["alternates"][stratum] if u not in used]
        if not left:
            try:
                drawspec.replace(document, exclusions, target, records)
            except drawspec.ReplacementError:
                break
            raise AssertionError("replaced with no alternate left")
        try:
            record = drawspec.replace(document, exclusions, target, records)
        except drawspec.DrawError as error:
            # A team had to be formed for the replacement, and with these slots (any
            # department, any tag) slot k has a candidate only if k + 1 inspectors are not
            # excluded for it.
            allowed = [i for i in manifest["pool"] if (left[0], i["id"]) not in excluded]
            assert (error.uscc, error.slot_index) == (left[0], len(allowed))
            break
        assert record["replacement"] == left[0]
        assert record["stratum"] == stratum
        assert not {(left[0], i) for i in record["team"]} & excluded
        assert len(set(record["team"])) == len(manifest["slots"])
        records.append(record)
        del current[target]
        current[record["replacement"]] = stratum


@settings(DEFAULTS, max_examples=300)
@given(st.lists(st.text(alphabet=USCC_ALPHABET + "IOSVZa ", min_size=16, max_size=19), max_size=5))
def test_the_bulk_uscc_check_agrees_with_the_plain_one(codes):
    valid = [
        with_check_character(code[:17])
        for code in codes
        if len(code) >= 17 and set(code[:17]) <= set(USCC_ALPHABET)
    ]
    codes += [*valid, "\n".join(valid[:2])]  # two codes in one string are not a code
    plain = [position for position, code in enumerate(codes) if drawspec._uscc_problem(code)]
    assert drawspec._invalid_uscc_positions(codes) == plain


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["manifest", "result", "sources", "spec", "x"]), children)
    ),
    max_leaves=12,
)


@settings(DEFAULTS, max_examples=200)
@given(json_values, st.none() | json_values)
def test_verify_never_crashes_on_arbitrary_json(document, exclusions):
    checks = drawspec.verify(document, exclusions)
    assert [check.name for check in checks] == CHECK_NAMES
    assert "failed" in {check.status for check in checks}
