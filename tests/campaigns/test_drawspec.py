"""Example-based tests of the draw engine, campaigns/drawspec.py (spec sjz-draw/1).

Plain pytest functions: no Django, no database. Expected values are computed here with hashlib
and json directly, not with the engine's helpers, so that each test checks the specification
(docs/draw-spec.md), not the engine against itself.
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
import types
from collections import Counter
from pathlib import Path

import pytest

from campaigns import drawspec

CAMPAIGN = "石应急抽〔2024〕3号"
S1 = "5f3a" * 16  # 64 lower-case hex characters, like the platform's nonce
S2 = "福利彩票快乐8 第2024128期开奖号码 03 07 11 19 24"
EMERGENCY = "石家庄市应急管理局"
MARKET = "石家庄市市场监督管理局"
HAZCHEM = "危险化学品"
DRAWSPEC_PY = Path(drawspec.__file__).resolve()

# --- Helpers written from the specification, independently of the engine -----------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(first_17: str) -> str:
    """Complete 17 characters into a USCC with its GB 32100-2015 check character."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first_17, USCC_WEIGHTS, strict=True))
    check = 31 - total % 31
    return first_17 + USCC_ALPHABET[0 if check == 31 else check]


def spec_hash(*parts: str) -> bytes:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).digest()


def spec_digest(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def inspector(inspector_id: str, department: str = EMERGENCY, tags=()) -> dict:
    return {"id": inspector_id, "department": department, "tags": sorted(tags)}


def slot(department: str | None = EMERGENCY, tag: str | None = None) -> dict:
    return {"department": department, "tag": tag}


def manifest_with(*, strata, pool, slots=None, cap=3, alternates=2, exclusions=()) -> dict:
    return {
        "campaign": CAMPAIGN,
        "strata": strata,
        "pool": pool,
        "slots": slots or [slot(), slot()],
        "cap": cap,
        "alternates": alternates,
        "exclusions_sha256": spec_digest([list(p) for p in sorted({tuple(p) for p in exclusions})]),
    }


def stratum(label: str, members, quota: int, ratio: str | None = "5") -> dict:
    return {"label": label, "ratio": ratio, "quota": quota, "members": sorted(members)}


A_MEMBERS = [uscc(f"91130102MA0A{n:05d}") for n in range(6)]
D_MEMBERS = [uscc(f"91130108MA0D{n:05d}") for n in range(4)]
POOL = [
    inspector("13010020001", EMERGENCY, [HAZCHEM]),
    inspector("13010020002", EMERGENCY, []),
    inspector("13010020003", EMERGENCY, [HAZCHEM, "工贸"]),
    inspector("13010020004", EMERGENCY, ["工贸"]),
    inspector("13010030001", MARKET, []),
    inspector("13010030002", MARKET, []),
]
SLOTS = [slot(EMERGENCY, HAZCHEM), slot(EMERGENCY, None), slot(MARKET, None)]


def example_manifest(exclusions=()) -> dict:
    return manifest_with(
        strata=[
            stratum("A级（低风险）", A_MEMBERS, 2, "3"),
            stratum("D级（高风险）", D_MEMBERS, 1, "20"),
        ],
        pool=copy.deepcopy(POOL),
        slots=copy.deepcopy(SLOTS),
        cap=2,
        alternates=2,
        exclusions=exclusions,
    )


class ConstantHash:
    """Stands in for hashlib.sha256 so that every score and every rank ties.

    With all hashes equal, §5 falls back on its tie-breaks, (e(u), u) and (r(i), i.id), so the
    expected outcome can be worked out by hand.
    """

    def __init__(self, data: bytes = b"") -> None:
        pass

    def update(self, data: bytes) -> None:
        pass

    def copy(self) -> ConstantHash:
        return ConstantHash()

    def digest(self) -> bytes:
        return bytes(32)

    def hexdigest(self) -> str:
        return "00" * 32


@pytest.fixture
def constant_hash(monkeypatch):
    monkeypatch.setattr(drawspec, "hashlib", types.SimpleNamespace(sha256=ConstantHash))


# --- Canonical JSON, hashes and the key (§2, §3, §4) --------------------------------------------


def test_it_writes_canonical_json_with_chinese_text_as_is():
    value = {"b": "石家庄市应急管理局", "a": [1, None, "A级（低风险）"]}
    assert (
        drawspec.canonical_json(value)
        == '{"a":[1,null,"A级（低风险）"],"b":"石家庄市应急管理局"}'.encode()
    )


def test_it_hashes_parts_joined_with_line_feeds():
    expected = hashlib.sha256("K/\nentity\n石应急抽〔2024〕3号\n9113".encode()).digest()
    assert drawspec.H("K/", "entity", CAMPAIGN, "9113") == expected
    assert drawspec.sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()


def test_it_trims_and_nfc_normalises_every_source_of_the_key():
    decomposed = "Cafe\u0301"  # "e" + combining acute accent: NFC makes it one character
    key = drawspec.make_key(["  abc\n", f"\u3000{decomposed}\t", "第2024128期"])
    assert key == "abc/Caf\u00e9/第2024128期/"


def test_it_ends_the_key_with_a_slash_even_for_one_source():
    assert drawspec.make_key([S1]) == S1 + "/"


def test_it_refuses_a_key_without_sources():
    with pytest.raises(ValueError, match="S1"):
        drawspec.make_key([])


# --- Exclusions (§6) ----------------------------------------------------------------------------


def test_it_digests_the_sorted_unique_exclusion_list():
    pairs = [[A_MEMBERS[1], "13010020002"], [A_MEMBERS[0], "13010020003"]]
    expected = spec_digest(sorted(pairs))
    shuffled_with_a_repeat = [pairs[0], pairs[1], list(pairs[0])]
    assert drawspec.exclusions_digest(pairs) == expected
    assert drawspec.exclusions_digest(shuffled_with_a_repeat) == expected
    assert drawspec.exclusions_digest([]) == spec_digest([])


@pytest.mark.parametrize("bad", [[["only-one"]], [[A_MEMBERS[0], 7]], ["ab"], "not a list"])
def test_it_rejects_an_exclusion_list_that_is_not_pairs_of_strings(bad):
    with pytest.raises(ValueError, match="pair"):
        drawspec.exclusions_digest(bad)


# --- Manifest rules (§1, §2) --------------------------------------------------------------------


def test_it_accepts_a_valid_manifest():
    assert drawspec.manifest_problems(example_manifest()) == []


def test_it_validates_real_uscc_check_characters():
    # Published codes of well-known companies; the last character is the GB 32100 check.
    for code in ("91440300708461136T", "91330100799655058B", "91110000802100433B"):
        assert drawspec._uscc_problem(code) is None
        assert uscc(code[:17]) == code


def _broken(change):
    manifest = example_manifest()
    change(manifest)
    return manifest


def _set(path, value):
    def change(manifest):
        target = manifest
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set(("strata", 1, "label"), "A级（低风险）"), "labels must be unique"),
        (_set(("strata", 0, "members"), list(reversed(A_MEMBERS))), "members[1]"),
        (_set(("strata", 0, "members"), [A_MEMBERS[0], *A_MEMBERS]), "repeats"),
        (_set(("strata", 1, "members"), sorted([*D_MEMBERS, A_MEMBERS[2]])), "also a member"),
        (_set(("strata", 0, "quota"), 7), "more than its 6 members"),
        (_set(("strata", 0, "quota"), -1), "at least 0"),
        (_set(("strata", 0, "quota"), True), "quota must be an integer"),
        (_set(("strata", 0, "quota"), 2.0), "quota must be an integer"),
        (_set(("strata", 0, "ratio"), "3%"), "decimal string"),
        (_set(("strata", 0, "members", 2), A_MEMBERS[2][:17] + "0"), "check character"),
        (_set(("strata", 0, "members", 2), A_MEMBERS[2].lower()), "not a USCC"),
        (_set(("strata", 0, "members", 2), 91130102), "must be a USCC string"),
        (_set(("strata", 0, "members", 2), f"{A_MEMBERS[2]}\n{A_MEMBERS[3]}"), "not a USCC"),
        (_set(("pool",), list(reversed(POOL))), "pool[1].id"),
        (_set(("pool", 1, "id"), POOL[0]["id"]), "repeats"),
        (_set(("pool", 2, "tags"), ["工贸", HAZCHEM]), "tags[1]"),
        (_set(("slots",), [slot()]), "at least 2 inspectors"),
        (_set(("slots", 1, "tag"), 3), "slots[1].tag must be a string or null"),
        (_set(("cap",), 0), "cap must be an integer of at least 1"),
        (_set(("alternates",), -1), "alternates must be an integer of at least 0"),
        (_set(("exclusions_sha256",), "ABC"), "exclusions_sha256"),
        (_set(("campaign",), CAMPAIGN + " "), "white space"),
        (_set(("pool", 0, "department"), "Cafe\u0301"), "NFC"),
        (_set(("strata", 0, "label"), "\u3000A级"), "white space"),
        (_set(("seed",), 42), "unknown field 'seed'"),
        (lambda manifest: manifest.pop("cap"), "no 'cap' field"),
        (lambda manifest: manifest["pool"][0].pop("tags"), "no 'tags' field"),
    ],
)
def test_it_reports_each_broken_manifest_rule_with_its_place(change, expected):
    problems = drawspec.manifest_problems(_broken(change))
    assert problems, "the broken rule was not reported"
    assert any(expected in problem for problem in problems), problems


def test_it_names_the_stratum_and_member_of_a_bad_uscc():
    manifest = _broken(_set(("strata", 1, "members", 3), D_MEMBERS[3][:17] + "0"))
    (problem,) = drawspec.manifest_problems(manifest)
    assert problem.startswith("strata[1] ('D级（高风险）').members[3]")


def test_it_reports_a_manifest_that_is_not_an_object():
    assert drawspec.manifest_problems([]) == ["the manifest must be a JSON object, found an array"]


# --- The enterprise selection (§5.1) ------------------------------------------------------------


def test_it_selects_by_score_and_lists_alternates_in_order():
    sources = [S1, S2]
    key = S1 + "/" + S2 + "/"
    result = drawspec.compute_result(example_manifest(), [], key)

    def ranked(members):
        return sorted(members, key=lambda u: (spec_hash(key, "entity", CAMPAIGN, u), u))

    a_order, d_order = ranked(A_MEMBERS), ranked(D_MEMBERS)
    selected = sorted(
        [(spec_hash(key, "entity", CAMPAIGN, u), u) for u in a_order[:2] + d_order[:1]]
    )
    assert [entry["uscc"] for entry in result["selected"]] == [u for _, u in selected]
    assert [entry["score"] for entry in result["selected"]] == [e.hex() for e, _ in selected]
    strata = dict.fromkeys(A_MEMBERS, "A级（低风险）") | dict.fromkeys(D_MEMBERS, "D级（高风险）")
    assert [entry["stratum"] for entry in result["selected"]] == [strata[u] for _, u in selected]
    assert result["alternates"] == {"A级（低风险）": a_order[2:4], "D级（高风险）": d_order[1:3]}
    assert drawspec.make_key(sources) == key


def test_it_breaks_score_ties_by_uscc(constant_hash):
    result = drawspec.compute_result(example_manifest(), [], "K/")
    # Every e(u) is equal, so each stratum is ordered by USCC, and so is the selection order.
    assert [entry["uscc"] for entry in result["selected"]] == sorted(A_MEMBERS[:2] + D_MEMBERS[:1])
    assert result["alternates"] == {
        "A级（低风险）": A_MEMBERS[2:4],
        "D级（高风险）": D_MEMBERS[1:3],
    }


def test_it_lists_fewer_alternates_when_the_stratum_runs_out():
    manifest = manifest_with(
        strata=[stratum("A", A_MEMBERS[:3], 2), stratum("B", D_MEMBERS[:1], 1)],
        pool=POOL,
        alternates=5,
    )
    result = drawspec.compute_result(manifest, [], "K/")
    assert len(result["alternates"]["A"]) == 1
    assert result["alternates"]["B"] == []


# --- The teams (§5.2) ---------------------------------------------------------------------------


def test_it_ranks_inspectors_by_hash_then_id():
    member = A_MEMBERS[0]
    manifest = manifest_with(strata=[stratum("A", [member], 1)], pool=POOL, slots=SLOTS, cap=5)
    key = drawspec.make_key([S1])
    result = drawspec.compute_result(manifest, [], key)

    def best(ids):
        return min(ids, key=lambda i: (spec_hash(key, "inspector", CAMPAIGN, member, i), i))

    first = best(["13010020001", "13010020003"])  # emergency bureau with the hazchem tag
    second = best(
        [i for i in ("13010020001", "13010020002", "13010020003", "13010020004") if i != first]
    )
    third = best(["13010030001", "13010030002"])
    assert result["selected"][0]["team"] == [first, second, third]
    assert result["selected"][0]["over_cap"] == []


def test_it_picks_only_candidates_matching_department_tag_and_exclusions(constant_hash):
    member = A_MEMBERS[0]
    pool = [
        inspector("I1", MARKET, [HAZCHEM]),  # wrong department for slots 0 and 1
        inspector("I2", EMERGENCY, []),  # no hazchem tag: not for slot 0
        inspector("I3", EMERGENCY, [HAZCHEM]),  # excluded for this enterprise
        inspector("I4", EMERGENCY, [HAZCHEM]),
        inspector("I5", MARKET, []),
    ]
    slots = [slot(EMERGENCY, HAZCHEM), slot(EMERGENCY, None), slot(None, HAZCHEM)]
    manifest = manifest_with(strata=[stratum("A", [member], 1)], pool=pool, slots=slots, cap=5)
    result = drawspec.compute_result(manifest, [[member, "I3"]], "K/")
    # All ranks tie, so each slot takes the smallest eligible id:
    # slot 0: I4 (I3 excluded); slot 1: I2; slot 2 (any department, hazchem): I1.
    assert result["selected"][0]["team"] == ["I4", "I2", "I1"]


def test_it_never_takes_the_same_inspector_twice_for_one_team(constant_hash):
    manifest = manifest_with(
        strata=[stratum("A", A_MEMBERS[:1], 1)],
        pool=[inspector("I1"), inspector("I2"), inspector("I3")],
        slots=[slot(), slot(), slot()],
    )
    result = drawspec.compute_result(manifest, [], "K/")
    assert result["selected"][0]["team"] == ["I1", "I2", "I3"]


def test_it_goes_over_the_cap_only_when_every_candidate_is_at_the_cap(constant_hash):
    manifest = manifest_with(
        strata=[stratum("A", A_MEMBERS[:3], 3)],
        pool=[inspector("I1"), inspector("I2"), inspector("I3")],
        slots=[slot(), slot()],
        cap=1,
    )
    result = drawspec.compute_result(manifest, [], "K/")
    teams = [(entry["team"], entry["over_cap"]) for entry in result["selected"]]
    assert teams == [
        (["I1", "I2"], []),  # loads I1=1, I2=1: both at the cap
        (["I3", "I1"], [1]),  # slot 0: I3 is under the cap; slot 1: all at the cap, smallest id
        # Loads I1=2, I2=1, I3=1: every candidate is at the cap, so each slot takes the
        # smallest (rank, id) among all of them, however loaded.
        (["I1", "I2"], [0, 1]),
    ]


def test_it_fails_naming_the_enterprise_and_slot_when_a_slot_cannot_be_filled():
    member = A_MEMBERS[0]
    manifest = manifest_with(
        strata=[stratum("A", [member], 1)],
        pool=[inspector("I1"), inspector("I2")],
        slots=[slot(), slot(MARKET, None)],
    )
    with pytest.raises(drawspec.DrawError) as raised:
        drawspec.draw(manifest, [], [S1])
    assert (raised.value.uscc, raised.value.slot_index) == (member, 1)
    assert member in str(raised.value) and "slot 1" in str(raised.value)


def test_it_fails_when_every_matching_inspector_is_excluded():
    member = A_MEMBERS[0]
    exclusions = [[member, "I1"], [member, "I2"]]
    manifest = manifest_with(
        strata=[stratum("A", [member], 1)],
        pool=[inspector("I1"), inspector("I2"), inspector("I3", MARKET)],
        slots=[slot(None, None), slot(EMERGENCY, None)],
        exclusions=exclusions,
    )
    with pytest.raises(drawspec.DrawError) as raised:
        drawspec.draw(manifest, exclusions, [S1])
    assert raised.value.slot_index == 1
    assert "excluded" in str(raised.value)


def test_a_draw_error_keeps_its_fields_when_copied_or_pickled():
    # copy uses the same __reduce__ as pickle, which a task queue uses to pass errors on.
    error = copy.copy(drawspec.DrawError("9113X", 2, "why"))
    assert (error.uscc, error.slot_index, str(error)) == (
        "9113X",
        2,
        "slot 2 of the team for enterprise 9113X cannot be filled: why",
    )


# --- The draw document (§7) ---------------------------------------------------------------------


def test_it_makes_the_draw_document_with_all_its_digests():
    exclusions = [[A_MEMBERS[0], "13010020001"]]
    manifest = example_manifest(exclusions)
    document = drawspec.draw(manifest, exclusions, [S1, f"  {S2} "])
    assert list(document) == [
        "spec",
        "manifest",
        "manifest_sha256",
        "nonce_sha256",
        "sources",
        "result",
        "result_sha256",
    ]
    assert document["spec"] == "sjz-draw/1"
    assert document["manifest_sha256"] == spec_digest(manifest)
    assert document["nonce_sha256"] == hashlib.sha256(S1.encode("ascii")).hexdigest()
    assert document["sources"] == [S1, f"  {S2} "]  # stored as entered, trimmed only in the key
    assert document["result"] == drawspec.compute_result(manifest, exclusions, f"{S1}/{S2}/")
    assert document["result_sha256"] == spec_digest(document["result"])


def test_it_refuses_to_draw_from_a_manifest_with_problems():
    manifest = _broken(_set(("cap",), 0))
    with pytest.raises(ValueError, match="cap"):
        drawspec.draw(manifest, [], [S1])


def test_it_refuses_to_draw_without_sources():
    with pytest.raises(ValueError, match="non-empty"):
        drawspec.draw(example_manifest(), [], [])


def test_it_refuses_an_exclusion_list_other_than_the_frozen_one():
    manifest = example_manifest([[A_MEMBERS[0], "13010020001"]])
    with pytest.raises(ValueError, match="exclusions_sha256"):
        drawspec.draw(manifest, [], [S1])


# --- The verifier (§7) --------------------------------------------------------------------------

EXCLUSIONS = [[A_MEMBERS[0], "13010020001"], [D_MEMBERS[1], "13010030002"]]


@pytest.fixture
def document():
    return drawspec.draw(example_manifest(EXCLUSIONS), EXCLUSIONS, [S1, S2])


def statuses(checks) -> dict[str, str]:
    return {check.name: check.status for check in checks}


def detail(checks, name: str) -> str:
    return next(check.detail for check in checks if check.name == name)


def test_it_verifies_a_fresh_document(document):
    checks = drawspec.verify(document, EXCLUSIONS)
    assert [check.name for check in checks] == ["manifest", "nonce", "selection", "teams", "result"]
    assert all(check.status == "passed" for check in checks)


def test_it_skips_the_teams_check_without_the_exclusion_list(document):
    assert statuses(drawspec.verify(document)) == {
        "manifest": "passed",
        "nonce": "passed",
        "selection": "passed",
        "teams": "skipped",
        "result": "passed",
    }


def test_it_fails_the_teams_check_with_another_exclusion_list(document):
    checks = drawspec.verify(document, EXCLUSIONS[:1])
    assert statuses(checks)["teams"] == "failed"
    assert "exclusions_sha256" in detail(checks, "teams")


def test_it_accepts_the_exclusion_list_in_any_order(document):
    assert statuses(drawspec.verify(document, list(reversed(EXCLUSIONS))))["teams"] == "passed"


def test_it_names_the_enterprise_when_a_selected_uscc_is_changed(document):
    original = document["result"]["selected"][1]["uscc"]
    document["result"]["selected"][1]["uscc"] = A_MEMBERS[5]
    checks = drawspec.verify(document)
    assert statuses(checks)["selection"] == "failed"
    assert original in detail(checks, "selection") and "selected[1]" in detail(checks, "selection")
    assert statuses(checks)["result"] == "failed"


def test_it_fails_the_nonce_check_when_s1_is_changed(document):
    document["sources"][0] = "6" + S1[1:]
    checks = drawspec.verify(document)
    assert statuses(checks)["nonce"] == "failed"
    assert statuses(checks)["selection"] == "failed"  # the key changed too


def test_it_fails_the_selection_check_when_an_external_source_is_changed(document):
    document["sources"][1] = S2.replace("24", "25")
    checks = drawspec.verify(document)
    assert statuses(checks)["nonce"] == "passed"
    assert statuses(checks)["selection"] == "failed"


def test_it_fails_the_manifest_check_when_a_manifest_field_is_changed(document):
    document["manifest"]["cap"] = 3
    checks = drawspec.verify(document)
    assert statuses(checks)["manifest"] == "failed"
    assert "manifest_sha256" in detail(checks, "manifest")


def test_it_names_enterprise_and_slot_when_a_team_member_is_changed(document):
    entry = document["result"]["selected"][0]
    entry["team"][2] = next(i for i in ("13010030001", "13010030002") if i != entry["team"][2])
    document["result_sha256"] = spec_digest(document["result"])  # a careful forger
    checks = drawspec.verify(document, EXCLUSIONS)
    assert statuses(checks) == {
        "manifest": "passed",
        "nonce": "passed",
        "selection": "passed",
        "teams": "failed",
        "result": "passed",
    }
    assert entry["uscc"] in detail(checks, "teams") and "slot 2" in detail(checks, "teams")


def test_it_fails_the_result_check_when_result_sha256_is_wrong(document):
    document["result_sha256"] = "0" * 64
    assert statuses(drawspec.verify(document))["result"] == "failed"


def test_it_fails_the_manifest_check_for_another_spec_version(document):
    document["spec"] = "sjz-draw/2"
    checks = drawspec.verify(document)
    assert statuses(checks)["manifest"] == "failed"
    assert "sjz-draw/2" in detail(checks, "manifest")


def test_it_does_not_recompute_a_document_whose_manifest_breaks_the_rules(document):
    document["manifest"]["pool"].reverse()
    document["manifest_sha256"] = spec_digest(document["manifest"])
    checks = drawspec.verify(document, EXCLUSIONS)
    assert statuses(checks)["manifest"] == "failed"
    assert "pool[1].id" in detail(checks, "manifest")
    assert detail(checks, "selection").startswith("not recomputed")


def test_it_reports_an_extra_field_in_a_selected_entry(document):
    document["result"]["selected"][0]["note"] = "hand-picked"
    checks = drawspec.verify(document)
    assert statuses(checks)["selection"] == "failed"
    assert "note" in detail(checks, "selection")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: None,
        lambda d: [],
        lambda d: "draw",
        lambda d: {},
        lambda d: {**d, "manifest": None},
        lambda d: {**d, "manifest": {"campaign": 3}},
        lambda d: {**d, "sources": "not a list"},
        lambda d: {**d, "sources": []},
        lambda d: {**d, "sources": [7]},
        lambda d: {**d, "sources": ["非ASCII"]},
        lambda d: {**d, "result": []},
        lambda d: {**d, "result": {"selected": "x", "alternates": {}}},
        lambda d: {**d, "result": {"selected": [1, 2], "alternates": []}},
        lambda d: {**d, "result": {**d["result"], "selected": [None] * 3}},
        lambda d: {**d, "result": {**d["result"], "selected": [{"team": 5}] * 3}},
        lambda d: {**d, "result": {**d["result"], "alternates": {"A级（低风险）": 5}}},
        lambda d: {**d, "manifest_sha256": None, "result_sha256": 12},
    ],
)
def test_it_reports_malformed_documents_as_failed_without_crashing(document, mangle):
    bad = mangle(copy.deepcopy(document))
    for exclusions in (None, EXCLUSIONS, "not a list", [[1, 2]]):
        checks = drawspec.verify(bad, exclusions)
        assert [check.name for check in checks] == [
            "manifest",
            "nonce",
            "selection",
            "teams",
            "result",
        ]
        assert "failed" in [check.status for check in checks]
        assert all(check.status in {"passed", "failed", "skipped"} for check in checks)


# --- Replacements (§8) --------------------------------------------------------------------------


def one_stratum_draw(exclusions=(), *, alternates=2, cap=1):
    """Under ConstantHash: members u0 < u1 < u2 < u3; u0 is selected, u1, u2 ... are alternates.

    The single team of two emergency-bureau inspectors is [I1, I2] (smallest ids).
    """
    members = A_MEMBERS[:4]
    manifest = manifest_with(
        strata=[stratum("A", members, 1)],
        pool=[inspector("I1"), inspector("I2"), inspector("I3")],
        slots=[slot(), slot()],
        cap=cap,
        alternates=alternates,
        exclusions=[],
    )
    manifest["exclusions_sha256"] = drawspec.exclusions_digest(exclusions)
    return members, drawspec.draw(manifest, exclusions, [S1])


def test_it_replaces_with_the_next_unused_alternate_in_order(constant_hash):
    (u0, u1, u2, _), document = one_stratum_draw()
    first = drawspec.replace(document, [], u0)
    assert (first["replaced"], first["replacement"], first["stratum"]) == (u0, u1, "A")
    # A replacement can itself be replaced: by the next alternate not used yet.
    second = drawspec.replace(document, [], u1, [first])
    assert (second["replaced"], second["replacement"]) == (u1, u2)


def test_it_hands_the_team_over_to_the_replacement(constant_hash):
    (u0, u1, *_), document = one_stratum_draw()
    record = drawspec.replace(document, [], u0)
    assert record == {
        "replaced": u0,
        "replacement": u1,
        "stratum": "A",
        "team": ["I1", "I2"],
        "over_cap": [],
        "team_reformed": False,
    }


def test_it_forms_a_new_team_when_a_member_is_excluded_for_the_replacement(constant_hash):
    (u0, u1, *_), document = one_stratum_draw([[A_MEMBERS[1], "I1"]])
    record = drawspec.replace(document, [[A_MEMBERS[1], "I1"]], u0)
    # Loads as they stand after the draw: I1=1, I2=1, I3=0 (cap 1). Slot 0: I1 is excluded,
    # I3 is the only one under the cap. Slot 1: only I2 is left, at the cap: over cap.
    assert record["team_reformed"] is True
    assert (record["replacement"], record["team"], record["over_cap"]) == (u1, ["I3", "I2"], [1])


def test_it_releases_the_team_of_an_enterprise_replaced_earlier(constant_hash):
    exclusions = [[A_MEMBERS[1], "I1"], [A_MEMBERS[2], "I3"]]
    (u0, u1, u2, _), document = one_stratum_draw(exclusions)
    first = drawspec.replace(document, exclusions, u0)  # u1 gets [I3, I2]; u0's [I1, I2] goes
    second = drawspec.replace(document, exclusions, u1, [first])
    # Current teams before this replacement: u1 [I3, I2], so loads I1=0, I2=1, I3=1.
    # Slot 0: I3 excluded, I1 under the cap. Slot 1: only I2, at the cap: over cap.
    assert (second["replacement"], second["team"], second["over_cap"]) == (u2, ["I1", "I2"], [1])
    assert second["team_reformed"] is True


def test_it_refuses_to_replace_when_no_alternate_is_left(constant_hash):
    (u0, u1, u2, _), document = one_stratum_draw(alternates=2)
    first = drawspec.replace(document, [], u0)
    second = drawspec.replace(document, [], u1, [first])
    with pytest.raises(drawspec.ReplacementError, match="no unused alternate"):
        drawspec.replace(document, [], u2, [first, second])


def test_it_refuses_to_replace_an_enterprise_that_is_not_selected(constant_hash):
    (u0, u1, *_), document = one_stratum_draw()
    with pytest.raises(drawspec.ReplacementError, match="not selected"):
        drawspec.replace(document, [], u1)
    first = drawspec.replace(document, [], u0)
    with pytest.raises(drawspec.ReplacementError, match=f"already replaced by {u1}"):
        drawspec.replace(document, [], u0, [first])


def test_it_refuses_previous_replacements_that_break_the_rules(constant_hash):
    (u0, _, u2, _), document = one_stratum_draw()
    forged = {**drawspec.replace(document, [], u0), "replacement": u2}
    with pytest.raises(ValueError, match="previous_replacements"):
        drawspec.replace(document, [], u2, [forged])


def test_it_keeps_loads_consistent_across_replacements_with_real_hashes():
    exclusions = [[u, i["id"]] for u in A_MEMBERS[2:] for i in POOL[:2]]
    manifest = example_manifest(exclusions)
    document = drawspec.draw(manifest, exclusions, [S1, S2])
    records = []
    for _ in range(2):
        current = {e["uscc"]: e["stratum"] for e in document["result"]["selected"]}
        for record in records:
            current.pop(record["replaced"])
            current[record["replacement"]] = record["stratum"]
        target = next(u for u, label in current.items() if label == "A级（低风险）")
        record = drawspec.replace(document, exclusions, target, records)
        excluded = {i for u, i in exclusions if u == record["replacement"]}
        assert not excluded & set(record["team"])
        assert len(set(record["team"])) == len(SLOTS)
        records.append(record)
    assert [r["replacement"] for r in records] == document["result"]["alternates"]["A级（低风险）"]
    # Loads recomputed from the current teams still add up to the seats.
    teams = {e["uscc"]: e["team"] for e in document["result"]["selected"]}
    for record in records:
        teams.pop(record["replaced"])
        teams[record["replacement"]] = record["team"]
    assert sum(Counter(i for team in teams.values() for i in team).values()) == 3 * len(SLOTS)


# --- The command line ---------------------------------------------------------------------------


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, str(DRAWSPEC_PY), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=cwd,
    )


def write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_cli_prints_the_draw_document(tmp_path):
    manifest = example_manifest(EXCLUSIONS)
    bundle = write_json(tmp_path / "bundle.json", {"manifest": manifest, "exclusions": EXCLUSIONS})
    completed = run_cli("draw", bundle, S1, S2, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == drawspec.draw(manifest, EXCLUSIONS, [S1, S2])
    assert "石应急抽〔2024〕3号" in completed.stdout  # UTF-8, not \u escapes
    assert completed.stdout.startswith('{\n  "spec": "sjz-draw/1"')


def test_the_cli_exits_1_naming_enterprise_and_slot_when_a_slot_cannot_be_filled(tmp_path):
    member = A_MEMBERS[0]
    manifest = manifest_with(
        strata=[stratum("A", [member], 1)], pool=[inspector("I1")], slots=[slot(), slot()]
    )
    bundle = write_json(tmp_path / "bundle.json", {"manifest": manifest, "exclusions": []})
    completed = run_cli("draw", bundle, S1)
    assert completed.returncode == 1
    assert member in completed.stderr and "slot 1" in completed.stderr
    assert completed.stdout == ""


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"manifest": {}, "exclusions": []}',
        '{"manifest": {"a": 1, "a": 2}, "exclusions": []}',
        "[]",
    ],
)
def test_the_cli_exits_2_on_unusable_input(tmp_path, content):
    bundle = tmp_path / "bundle.json"
    bundle.write_text(content, encoding="utf-8")
    completed = run_cli("draw", bundle, S1)
    assert completed.returncode == 2
    assert completed.stderr.strip()
    assert completed.stdout == ""


def test_the_cli_verifies_a_document_line_by_line(tmp_path, document):
    path = write_json(tmp_path / "draw.json", document)
    exclusions = write_json(tmp_path / "exclusions.json", EXCLUSIONS)

    public = run_cli("verify", path)
    assert public.returncode == 0, public.stdout
    lines = public.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "manifest",
        "nonce",
        "selection",
        "teams",
        "result",
    ]
    assert lines[3].startswith("teams: skipped")
    assert lines[2].startswith("selection: passed")

    auditor = run_cli("verify", path, exclusions)
    assert auditor.returncode == 0, auditor.stdout
    assert auditor.stdout.splitlines()[3].startswith("teams: passed")


def test_the_cli_exits_1_when_a_check_fails(tmp_path, document):
    document["result"]["selected"][0]["score"] = "0" * 64
    path = write_json(tmp_path / "draw.json", document)
    completed = run_cli("verify", path)
    assert completed.returncode == 1
    assert "selection: failed result.selected[0]" in completed.stdout


def test_the_cli_exits_1_with_a_wrong_exclusion_list(tmp_path, document):
    path = write_json(tmp_path / "draw.json", document)
    exclusions = write_json(tmp_path / "exclusions.json", EXCLUSIONS[1:])
    completed = run_cli("verify", path, exclusions)
    assert completed.returncode == 1
    assert "teams: failed" in completed.stdout


def test_the_cli_explains_itself():
    completed = run_cli("--help")
    assert completed.returncode == 0
    assert "draw" in completed.stdout and "verify" in completed.stdout
