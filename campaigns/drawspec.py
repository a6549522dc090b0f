#!/usr/bin/env python3
"""The ``sjz-draw/1`` random draw (摇号): the engine that makes it and the verifier that checks it.

What this is
------------
The Shijiazhuang Emergency Management Bureau inspects enterprises under the "双随机、一公开"
regime: for every spot-check campaign, the enterprises to inspect and the inspectors who form
each team are drawn at random, and the draw is published. The rules of that draw are the
specification ``sjz-draw/1`` (``docs/draw-spec.md`` in the platform's repository; section
numbers such as §5.2 below refer to it). This one file is the whole specification in code:

* the platform imports it (as ``campaigns.drawspec``) to make every draw;
* anyone can download it and re-check a published draw, bit for bit, with Python 3.11 or later
  and nothing but its standard library. It contains no randomness of its own: a draw is a pure
  function of the frozen manifest, the exclusion list and the published random values.

How to check a published draw
-----------------------------
Save the draw document (the JSON file offered on the campaign's public page) and run::

    python drawspec.py verify draw.json

It prints one line per check (``manifest``, ``nonce``, ``selection``, ``teams``, ``result``),
each ``passed``, ``failed`` or ``skipped`` with the first difference it found, and exits 0 when
no check failed, 1 otherwise (2 when a file cannot be read as JSON). The teams can only be
checked with the private exclusion list (回避名单, a JSON array of ``[uscc, inspector_id]``
pairs), which auditors hold::

    python drawspec.py verify draw.json exclusions.json

How to make a draw
------------------
::

    python drawspec.py draw bundle.json S1 [S2 ...]

``bundle.json`` is ``{"manifest": {...}, "exclusions": [[uscc, inspector_id], ...]}``; ``S1`` is
the platform's secret nonce, ``S2 ...`` the external public values named in the plan (quote a
value that contains spaces; put ``--`` before a value that starts with ``-``). The draw
document is printed to standard output. From Python::

    from campaigns import drawspec

    problems = drawspec.manifest_problems(manifest)        # [] when the manifest is valid
    document = drawspec.draw(manifest, exclusions, sources)
    checks = drawspec.verify(document, exclusions)         # list of Check(name, status, detail)
    record = drawspec.replace(document, exclusions, uscc)  # §8, after the draw

Reading guide
-------------
The code follows the specification section by section. Where the specification leaves a point
open, the choice made here is written in a comment that starts with ``Reading:``; the same
list is in the "Notes on this implementation" section of ``docs/draw-spec.md``.

The draw must handle a register of a million enterprises in seconds, so a few places compute
the specification's formulas in a faster but equivalent way; each says so, and the plain
function ``H`` is kept for reference and for anyone who wants to recompute a single value.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import operator
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import filterfalse, islice
from typing import Any, NamedTuple

__all__ = [
    "SPEC",
    "Check",
    "DrawError",
    "H",
    "ReplacementError",
    "canonical_exclusions",
    "canonical_json",
    "compute_result",
    "draw",
    "exclusions_digest",
    "main",
    "make_key",
    "manifest_problems",
    "replace",
    "sha256_hex",
    "verify",
]

SPEC = "sjz-draw/1"

# The fields each object of the manifest has (§2), and nothing else.
MANIFEST_FIELDS = ("alternates", "campaign", "cap", "exclusions_sha256", "pool", "slots", "strata")
STRATUM_FIELDS = ("label", "members", "quota", "ratio")
INSPECTOR_FIELDS = ("department", "id", "tags")
SLOT_FIELDS = ("department", "tag")
# The fields of the result (§5.3) and of each of its selected entries.
RESULT_FIELDS = ("alternates", "selected")
SELECTED_FIELDS = ("over_cap", "score", "stratum", "team", "uscc")

_HEX_DIGEST = re.compile("[0-9a-f]{64}")
# Reading: §2 calls `ratio` "a decimal string"; this accepts plain non-negative decimals such as
# "3", "2.5" or "100" (no sign, exponent or spaces), which is what the platform writes.
_DECIMAL = re.compile("[0-9]+(?:\\.[0-9]+)?")


# --- §2: canonical JSON and digests -------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """Return the canonical JSON of ``value`` (§2): sorted keys, no spaces, UTF-8, text kept."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 digest of ``data`` as 64 lower-case hex characters."""
    return hashlib.sha256(data).hexdigest()


# --- §3: the key --------------------------------------------------------------------------------


def make_key(sources: Sequence[str]) -> str:
    """Return the key ``K`` (§3): every source trimmed, NFC-normalised, and followed by "/".

    >>> make_key(["  abc ", "福利彩票"])
    'abc/福利彩票/'
    """
    if isinstance(sources, str):
        raise TypeError("sources must be a list of strings, not one string")
    if not sources:
        raise ValueError("a draw needs at least one source: the platform nonce S1")
    parts = []
    for index, source in enumerate(sources):
        if not isinstance(source, str):
            raise TypeError(f"sources[{index}] must be a string, found {_json_type(source)}")
        # Reading: "trim removes leading and trailing white space" is Python's str.strip(),
        # which also removes Unicode spaces such as the ideographic space U+3000 that Chinese
        # input methods produce. Trim first, then normalise, in the order §3 writes them.
        parts.append(unicodedata.normalize("NFC", source.strip()) + "/")
    return "".join(parts)


# --- §4: the hash -------------------------------------------------------------------------------


def H(*parts: str) -> bytes:
    """Return ``H(p1, ..., pk)`` (§4): SHA-256 of the UTF-8 parts joined with line feeds.

    The draw itself computes the same values faster (see ``_select_enterprises`` and
    ``_TeamDrawer``); this plain version is the reference.
    """
    return hashlib.sha256("\n".join(parts).encode("utf-8")).digest()


# --- §1 and §2: what a valid manifest looks like -----------------------------------------------

# The GB 32100-2015 check character of a USCC (统一社会信用代码). Duplicated on purpose: the
# platform validates USCCs in its register too, but this file must stand alone (it is offered
# for download), so it carries its own copy of the rule.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_VALUES = {character: value for value, character in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(f"[{_USCC_ALPHABET}]{{18}}")


def _uscc_check_character(first_17: str) -> str:
    """Return the check character (position 18) for the first 17 characters of a USCC."""
    weighted_sum = sum(map(operator.mul, map(_USCC_VALUES.__getitem__, first_17), _USCC_WEIGHTS))
    check_value = 31 - weighted_sum % 31
    return _USCC_ALPHABET[0 if check_value == 31 else check_value]


# Checking a million members one by one with the function above takes seconds, so
# _invalid_uscc_positions does the same check in bulk. Two facts make it fast: a whole list of
# well-formed codes can be matched by one regular expression, and the weights above are the
# powers of 3 modulo 31 (1, 3, 9, 27, 81 mod 31 = 19, ...). As 34 = 3 (mod 31), the weighted
# sum of the first 17 characters is, modulo 31, the number those characters spell read
# backwards in base 34, each character standing for its value, and int(..., 34) computes that
# number in C. The tests check that both ways agree.
_USCC_LIST_SHAPE = re.compile(f"[{_USCC_ALPHABET}]{{18}}(?:\n[{_USCC_ALPHABET}]{{18}})*")
_USCC_TO_BASE_34 = bytes.maketrans(
    _USCC_ALPHABET.encode("ascii"), "0123456789abcdefghijklmnopqrstu".encode("ascii")
)


def _invalid_uscc_positions(members: list[str]) -> list[int]:
    """Return the positions of the strings in ``members`` that are not valid USCCs."""
    joined = "\n".join(members)
    # The length check rules out a member that itself holds a line feed between two codes.
    if members and len(joined) == 19 * len(members) - 1 and _USCC_LIST_SHAPE.fullmatch(joined):
        alphabet = _USCC_ALPHABET
        return [
            position
            for position, uscc in enumerate(members)
            if uscc[17]
            != alphabet[-int(uscc[16::-1].encode("ascii").translate(_USCC_TO_BASE_34), 34) % 31]
        ]
    return [position for position, uscc in enumerate(members) if _uscc_problem(uscc)]


def _uscc_problem(uscc: str) -> str | None:
    """Say what is wrong with a USCC, or return None when it is valid."""
    if _USCC_SHAPE.fullmatch(uscc) is None:
        return (
            f"{uscc!r} is not a USCC: it must be 18 characters from {_USCC_ALPHABET!r} "
            "(upper case, no I, O, S, V or Z)"
        )
    expected = _uscc_check_character(uscc[:17])
    if uscc[17] != expected:
        return f"{uscc!r} is not a valid USCC: its check character should be {expected!r}"
    return None


def _text_problem(text: str) -> str | None:
    """Say why a manifest string is not in canonical form (§2), or return None."""
    if text != text.strip():
        return f"{text!r} has leading or trailing white space"
    if not unicodedata.is_normalized("NFC", text):
        return f"{text!r} is not NFC-normalised"
    return None


def _json_type(value: Any) -> str:
    """Name the JSON type of a value, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return type(value).__name__


def _is_integer(value: Any) -> bool:
    # JSON true/false arrive as Python bools, which are ints; they are not counts.
    return type(value) is int


def _field_problems(where: str, obj: dict, fields: Sequence[str]) -> list[str]:
    # Reading: §2 gives the manifest's format field by field, so a missing field and an unknown
    # one are both problems: an unknown field would be hashed into manifest_sha256 without any
    # meaning the public can check. A new field needs a new spec version.
    problems = [f"{where} has no {name!r} field" for name in fields if name not in obj]
    problems += [
        f"{where} has an unknown field {name!r} ({SPEC} defines {', '.join(fields)})"
        for name in obj
        if name not in fields
    ]
    return problems


def _string_problems(where: str, value: Any, *, nullable: bool = False) -> list[str]:
    if value is None and nullable:
        return []
    if not isinstance(value, str):
        expected = "a string or null" if nullable else "a string"
        return [f"{where} must be {expected}, found {_json_type(value)}"]
    problem = _text_problem(value)
    return [f"{where}: {problem}"] if problem else []


def _order_problem(where: str, values: list[str], *, unique: bool) -> str | None:
    """Return the first place where ``values`` is out of order (or repeats, when ``unique``).

    ``where`` names an entry with ``{}`` standing for its index, e.g. ``"pool[{}].id"``.
    """
    in_order = operator.lt if unique else operator.le
    # Fast path for the common case of a correct list of a million members: a C-level loop.
    if all(map(in_order, values, islice(values, 1, None))):
        return None
    for index in range(1, len(values)):
        previous, current = values[index - 1], values[index]
        this, before = where.format(index), where.format(index - 1)
        if current == previous and unique:
            return f"{this} {current!r} repeats {before} (must be unique)"
        if current < previous:
            return (
                f"{this} {current!r} comes before {before} {previous!r} "
                "(must be sorted ascending by Unicode code point)"
            )
    return None  # pragma: no cover - unreachable: the fast path found a pair out of order


def manifest_problems(manifest: Any) -> list[str]:
    """List every §2 rule that ``manifest`` breaks and that can be seen from the manifest alone.

    An empty list means the manifest is valid. Each message says where the problem is (which
    stratum, which member, which index) and what the rule is. The rules that need outside
    knowledge (whether the plan fixed a quota, how the cap was chosen) cannot be checked here.
    """
    if not isinstance(manifest, dict):
        return [f"the manifest must be a JSON object, found {_json_type(manifest)}"]
    problems = _field_problems("the manifest", manifest, MANIFEST_FIELDS)
    if "campaign" in manifest:
        problems += _string_problems("campaign", manifest["campaign"])
    if "strata" in manifest:
        problems += _strata_problems(manifest["strata"])
    if "pool" in manifest:
        problems += _pool_problems(manifest["pool"])
    if "slots" in manifest:
        problems += _slots_problems(manifest["slots"])
    if "cap" in manifest:
        cap = manifest["cap"]
        if not _is_integer(cap) or cap < 1:
            problems.append(f"cap must be an integer of at least 1, found {cap!r}")
    if "alternates" in manifest:
        # Reading: §2 states no rule for `alternates`, but §5.1 lists "the next `alternates`
        # members", which only makes sense for a whole number that is not negative.
        alternates = manifest["alternates"]
        if not _is_integer(alternates) or alternates < 0:
            problems.append(f"alternates must be an integer of at least 0, found {alternates!r}")
    if "exclusions_sha256" in manifest:
        digest = manifest["exclusions_sha256"]
        if not isinstance(digest, str) or _HEX_DIGEST.fullmatch(digest) is None:
            problems.append(
                f"exclusions_sha256 must be 64 lower-case hex characters, found {digest!r}"
            )
    return problems


def _strata_problems(strata: Any) -> list[str]:
    if not isinstance(strata, list):
        return [f"strata must be an array, found {_json_type(strata)}"]
    problems: list[str] = []
    index_of_label: dict[str, int] = {}
    # For "no USCC is in two strata": every member seen so far, and the lists they came from.
    seen_members: set[str] = set()
    earlier_strata: dict[int, list[str]] = {}
    for index, stratum in enumerate(strata):
        where = f"strata[{index}]"
        if not isinstance(stratum, dict):
            problems.append(f"{where} must be an object, found {_json_type(stratum)}")
            continue
        label = stratum.get("label")
        if isinstance(label, str):
            where = f"strata[{index}] ({label!r})"
        problems += _field_problems(where, stratum, STRATUM_FIELDS)
        if "label" in stratum:
            problems += _string_problems(f"{where}.label", label)
            if isinstance(label, str):
                if label in index_of_label:
                    problems.append(
                        f"{where}: label {label!r} is also the label of "
                        f"strata[{index_of_label[label]}] (labels must be unique)"
                    )
                else:
                    index_of_label[label] = index
        if "ratio" in stratum:
            ratio = stratum["ratio"]
            problems += _string_problems(f"{where}.ratio", ratio, nullable=True)
            if isinstance(ratio, str) and _DECIMAL.fullmatch(ratio) is None:
                problems.append(f"{where}.ratio must be a decimal string such as '3' or '2.5'")
        members = stratum.get("members")
        if "members" in stratum:
            if isinstance(members, list):
                problems += _members_problems(where, index, members, seen_members, earlier_strata)
            else:
                problems.append(f"{where}.members must be an array, found {_json_type(members)}")
        if "quota" in stratum:
            quota = stratum["quota"]
            if not _is_integer(quota):
                problems.append(f"{where}.quota must be an integer, found {quota!r}")
            elif quota < 0:
                problems.append(f"{where}.quota is {quota}, it must be at least 0")
            elif isinstance(members, list) and quota > len(members):
                problems.append(f"{where}.quota is {quota}, more than its {len(members)} members")
    return problems


def _members_problems(
    where: str,
    index: int,
    members: list,
    seen_members: set[str],
    earlier_strata: dict[int, list[str]],
) -> list[str]:
    """Check one stratum's members against §2, and against the strata checked before it."""
    try:
        "".join(members)  # fails on anything that is not a string, at C speed
    except TypeError:
        return [
            f"{where}.members[{position}] must be a USCC string, found {_json_type(member)}"
            for position, member in enumerate(members)
            if not isinstance(member, str)
        ]
    # A valid USCC is plain ASCII without spaces, so it is also trimmed and NFC.
    problems = [
        f"{where}.members[{position}]: {_uscc_problem(members[position])}"
        for position in _invalid_uscc_positions(members)
    ]
    order_problem = _order_problem(f"{where}.members[{{}}]", members, unique=True)
    if order_problem:
        problems.append(order_problem)
    in_earlier_strata = seen_members.intersection(members)
    if in_earlier_strata:  # rare, so finding which stratum can be slow
        for earlier_index, earlier_members in earlier_strata.items():
            for uscc in sorted(in_earlier_strata.intersection(earlier_members)):
                problems.append(
                    f"{where}: USCC {uscc} is also a member of strata[{earlier_index}] "
                    "(an enterprise belongs to one stratum only)"
                )
    seen_members.update(members)
    earlier_strata[index] = members
    return problems


def _pool_problems(pool: Any) -> list[str]:
    if not isinstance(pool, list):
        return [f"pool must be an array, found {_json_type(pool)}"]
    problems: list[str] = []
    ids: list[str] = []
    for index, inspector in enumerate(pool):
        where = f"pool[{index}]"
        if not isinstance(inspector, dict):
            problems.append(f"{where} must be an object, found {_json_type(inspector)}")
            continue
        if isinstance(inspector.get("id"), str):
            where = f"pool[{index}] (id {inspector['id']!r})"
            ids.append(inspector["id"])
        problems += _field_problems(where, inspector, INSPECTOR_FIELDS)
        if "id" in inspector:
            problems += _string_problems(f"{where}.id", inspector["id"])
        if "department" in inspector:
            problems += _string_problems(f"{where}.department", inspector["department"])
        if "tags" in inspector:
            tags = inspector["tags"]
            if not isinstance(tags, list):
                problems.append(f"{where}.tags must be an array, found {_json_type(tags)}")
                continue
            for position, tag in enumerate(tags):
                problems += _string_problems(f"{where}.tags[{position}]", tag)
            if all(isinstance(tag, str) for tag in tags):
                # Reading: §2 says "tags sorted ascending" without "unique" (it says "unique"
                # wherever it wants it), so a repeated tag is not a problem here.
                order_problem = _order_problem(f"{where}.tags[{{}}]", tags, unique=False)
                if order_problem:
                    problems.append(order_problem)
    if len(ids) == len(pool):
        order_problem = _order_problem("pool[{}].id", ids, unique=True)
        if order_problem:
            problems.append(order_problem)
    return problems


def _slots_problems(slots: Any) -> list[str]:
    if not isinstance(slots, list):
        return [f"slots must be an array, found {_json_type(slots)}"]
    problems = []
    if len(slots) < 2:
        problems.append(f"slots has {len(slots)} slot(s); every check needs at least 2 inspectors")
    for index, slot in enumerate(slots):
        where = f"slots[{index}]"
        if not isinstance(slot, dict):
            problems.append(f"{where} must be an object, found {_json_type(slot)}")
            continue
        problems += _field_problems(where, slot, SLOT_FIELDS)
        for name in SLOT_FIELDS:
            if name in slot:
                problems += _string_problems(f"{where}.{name}", slot[name], nullable=True)
    return problems


# --- §6: exclusions -----------------------------------------------------------------------------


def canonical_exclusions(pairs: Iterable[Sequence[str]]) -> list[list[str]]:
    """Return the exclusion list in its canonical form (§6): unique pairs, sorted.

    Pairs are sorted as Python sorts lists: by USCC, then by inspector id, both by code point.
    Raises ValueError when an entry is not a pair of strings.
    """
    if isinstance(pairs, str | bytes | dict) or not isinstance(pairs, Iterable):
        raise ValueError(
            "the exclusion list must be an array of [uscc, inspector_id] pairs, "
            f"found {_json_type(pairs)}"
        )
    unique_pairs = set()
    for index, pair in enumerate(pairs):
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(part, str) for part in pair)
        ):
            raise ValueError(
                f"exclusions[{index}] must be a [uscc, inspector_id] pair of strings, "
                f"found {_shorten(pair)}"
            )
        unique_pairs.add((pair[0], pair[1]))
    return [list(pair) for pair in sorted(unique_pairs)]


def exclusions_digest(pairs: Iterable[Sequence[str]]) -> str:
    """Return ``exclusions_sha256`` (§6): SHA-256 hex of the canonical JSON of the list.

    Reading: §6 defines the list as "unique and sorted". Rather than reject a list given in
    another order or with a pair twice, this digests its canonical form, so the digest depends
    only on which pairs are excluded. (Anyone can check it: the canonical list of a canonical
    list is itself.)
    """
    return sha256_hex(canonical_json(canonical_exclusions(pairs)))


def _exclusions_by_enterprise(pairs: Iterable[Sequence[str]]) -> dict[str, set[str]]:
    excluded: dict[str, set[str]] = {}
    for uscc, inspector_id in pairs:
        excluded.setdefault(uscc, set()).add(inspector_id)
    return excluded


# --- §5: the algorithm --------------------------------------------------------------------------


class DrawError(Exception):
    """A slot of a team has no candidate (§5.2 step 2): the draw, or the replacement that
    needed a new team, fails and nothing is saved.

    ``uscc`` is the enterprise whose team could not be formed, ``slot_index`` the 0-based index
    of the slot that has no candidate.
    """

    def __init__(self, uscc: str, slot_index: int, reason: str = "") -> None:
        self.uscc = uscc
        self.slot_index = slot_index
        self.reason = reason
        message = f"slot {slot_index} of the team for enterprise {uscc} cannot be filled"
        super().__init__(f"{message}: {reason}" if reason else message)

    def __reduce__(self):  # keeps the attributes when the error crosses a process boundary
        return (type(self), (self.uscc, self.slot_index, self.reason))


class _Pick(NamedTuple):
    """One enterprise in the order of §5.1."""

    # e(u) followed by the UTF-8 bytes of u. Comparing these byte strings is the same as
    # comparing the pairs (e(u), u): e(u) always has 32 bytes, and UTF-8 keeps code point order.
    sort_key: bytes
    stratum: str

    @property
    def uscc(self) -> str:
        return self.sort_key[32:].decode("utf-8")

    @property
    def score(self) -> str:
        return self.sort_key[:32].hex()


def _select_enterprises(manifest: dict, key: str) -> tuple[list[_Pick], dict[str, list[str]]]:
    """§5.1: return the selected enterprises in selection order, and the alternates per stratum."""
    # e(u) = H(K, "entity", C, u). The bytes before u are the same for every member, so they are
    # hashed once and the hash state is copied for each member: same digest, less work.
    common_prefix = hashlib.sha256(f"{key}\nentity\n{manifest['campaign']}\n".encode())
    update, digest = type(common_prefix).update, type(common_prefix).digest  # fewer lookups
    selected: list[_Pick] = []
    alternates: dict[str, list[str]] = {}
    for stratum in manifest["strata"]:
        label, quota = stratum["label"], stratum["quota"]
        sort_keys = []
        append, copy = sort_keys.append, common_prefix.copy
        for uscc in stratum["members"]:
            encoded = uscc.encode("utf-8")
            state = copy()
            update(state, encoded)
            append(digest(state) + encoded)
        # The same as sorted(sort_keys)[:n], faster when n is a small share of the stratum.
        first = heapq.nsmallest(quota + manifest["alternates"], sort_keys)
        selected += (_Pick(sort_key, label) for sort_key in first[:quota])
        alternates[label] = [sort_key[32:].decode("utf-8") for sort_key in first[quota:]]
    selected.sort()
    return selected, alternates


class _TeamDrawer:
    """§5.2: forms teams one enterprise at a time, keeping every inspector's load.

    Made for speed without changing a single choice: the inspectors that can ever fill a slot
    are listed once; each enterprise's ranks are computed once and used for all its slots; and
    for every slot the drawer keeps the list of its inspectors still under the cap (loads only
    grow, so an inspector leaves those lists once, when it reaches the cap). Choosing is then a
    minimum over a short list, which Python runs at C speed.

    Inspectors are numbered 0, 1, 2 ... in ascending order of id, and every list of them is
    kept in that order. That is how ties in r(i) go to the smaller id, as §5.2.4 says: min()
    returns the first of equal items. (Two different SHA-256 digests are never expected to tie.)
    """

    def __init__(
        self,
        manifest: dict,
        excluded: dict[str, set[str]],
        key: str,
        loads: dict[str, int] | None = None,
    ) -> None:
        self._slots = manifest["slots"]
        self._cap = manifest["cap"]
        self._excluded = excluded
        self._rank_prefix = f"{key}\ninspector\n{manifest['campaign']}\n"
        pool = manifest["pool"]
        matches = [
            [
                index
                for index, inspector in enumerate(pool)
                if (slot["department"] is None or inspector["department"] == slot["department"])
                and (slot["tag"] is None or slot["tag"] in inspector["tags"])
            ]
            for slot in self._slots
        ]
        # Only inspectors who match some slot are ranked, numbered in ascending order of id.
        eligible = sorted(set().union(*matches), key=lambda pool_index: pool[pool_index]["id"])
        position_of = {pool_index: position for position, pool_index in enumerate(eligible)}
        self._ids = [pool[pool_index]["id"] for pool_index in eligible]
        self._id_bytes = [inspector_id.encode("utf-8") for inspector_id in self._ids]
        self._position_of_id = {inspector_id: pos for pos, inspector_id in enumerate(self._ids)}
        self._candidates = [sorted(position_of[index] for index in match) for match in matches]
        loads = loads or {}
        self._loads = [loads.get(inspector_id, 0) for inspector_id in self._ids]
        # Slots with the same department and tag share one under-cap list.
        shared: dict[tuple[Any, Any], list[int]] = {}
        self._under_cap = []
        for slot, candidates in zip(self._slots, self._candidates, strict=True):
            filter_key = (slot["department"], slot["tag"])
            if filter_key not in shared:
                shared[filter_key] = [p for p in candidates if self._loads[p] < self._cap]
            self._under_cap.append(shared[filter_key])
        self._lists_holding: list[list[list[int]]] = [[] for _ in self._ids]
        for under_cap in shared.values():
            for position in under_cap:
                self._lists_holding[position].append(under_cap)

    def team_for(self, uscc: str) -> tuple[list[str], list[int]]:
        """Form the team of enterprise ``uscc``; return its inspector ids and over-cap slots."""
        # r(i) = H(K, "inspector", C, u, i.id) for every inspector who can fill a slot; the
        # common prefix is hashed once, as in _select_enterprises. This loop is most of the
        # draw's time, hence the local names.
        common_prefix = hashlib.sha256(f"{self._rank_prefix}{uscc}\n".encode())
        update, digest = type(common_prefix).update, type(common_prefix).digest
        copy = common_prefix.copy
        ranks = []
        append = ranks.append
        for id_bytes in self._id_bytes:
            state = copy()
            update(state, id_bytes)
            append(digest(state))
        rank_of = ranks.__getitem__
        # Not a candidate: excluded for this enterprise (§5.2.1), and, as the team fills, its
        # members.
        unavailable = {
            self._position_of_id[inspector_id]
            for inspector_id in self._excluded.get(uscc, ())
            if inspector_id in self._position_of_id
        }
        team: list[int] = []
        over_cap: list[int] = []
        for slot_index, candidates in enumerate(self._candidates):
            chosen = min(
                filterfalse(unavailable.__contains__, self._under_cap[slot_index]),
                key=rank_of,
                default=None,
            )
            if chosen is None:  # every candidate has load >= cap (§5.2.4), or there is none
                chosen = min(
                    filterfalse(unavailable.__contains__, candidates), key=rank_of, default=None
                )
                if chosen is None:
                    raise DrawError(uscc, slot_index, self._why_empty(slot_index, candidates))
                over_cap.append(slot_index)
            team.append(chosen)
            unavailable.add(chosen)
            self._loads[chosen] += 1
            if self._loads[chosen] == self._cap:
                for under_cap in self._lists_holding[chosen]:
                    under_cap.remove(chosen)
        return [self._ids[position] for position in team], over_cap

    def _why_empty(self, slot_index: int, candidates: list[int]) -> str:
        slot = self._slots[slot_index]
        wanted = ", ".join(
            [
                "any department" if slot["department"] is None else repr(slot["department"]),
                "any tag" if slot["tag"] is None else f"tag {slot['tag']!r}",
            ]
        )
        if not candidates:
            return f"no inspector in the pool matches the slot ({wanted})"
        return (
            f"the {len(candidates)} inspector(s) who match the slot ({wanted}) are all "
            "excluded for this enterprise or already in its team"
        )


def compute_result(manifest: dict, exclusions: Iterable[Sequence[str]], key: str) -> dict:
    """Return the ``result`` object of §5.3 for a manifest, an exclusion list and a key.

    The manifest is trusted: call ``manifest_problems`` first (``draw`` does). Raises
    ``DrawError`` when a slot cannot be filled.
    """
    selection, alternates = _select_enterprises(manifest, key)
    drawer = _TeamDrawer(manifest, _exclusions_by_enterprise(exclusions), key)
    selected = []
    for pick in selection:
        uscc = pick.uscc
        team, over_cap = drawer.team_for(uscc)
        selected.append(
            {
                "uscc": uscc,
                "stratum": pick.stratum,
                "score": pick.score,
                "team": team,
                "over_cap": over_cap,
            }
        )
    return {"selected": selected, "alternates": alternates}


# --- §7: the draw document ----------------------------------------------------------------------


def draw(manifest: dict, exclusions: Iterable[Sequence[str]], sources: Sequence[str]) -> dict:
    """Make the draw and return the draw document of §7.

    ``sources`` are ``[S1, S2, ...]`` exactly as entered; they are stored unchanged and
    normalised only inside the key. Raises ValueError for a manifest with problems, an
    exclusion list whose digest is not the manifest's ``exclusions_sha256``, or unusable
    sources, and ``DrawError`` when a team cannot be formed. The returned document holds the
    ``manifest`` object itself, not a copy.
    """
    sources_problem = _sources_problem(sources)
    if sources_problem:
        raise ValueError(sources_problem)
    problems = manifest_problems(manifest)
    if problems:
        raise ValueError(_summarise("the manifest breaks the rules of §2", problems))
    pairs = canonical_exclusions(exclusions)
    digest = exclusions_digest(pairs)
    if digest != manifest["exclusions_sha256"]:
        raise ValueError(
            f"the exclusion list hashes to {digest}, but the manifest was frozen with "
            f"exclusions_sha256 {manifest['exclusions_sha256']}: it is not the frozen list"
        )
    result = compute_result(manifest, pairs, make_key(sources))
    return {
        "spec": SPEC,
        "manifest": manifest,
        "manifest_sha256": sha256_hex(canonical_json(manifest)),
        "nonce_sha256": sha256_hex(sources[0].encode("ascii")),
        "sources": list(sources),
        "result": result,
        "result_sha256": sha256_hex(canonical_json(result)),
    }


def _sources_problem(sources: Any) -> str | None:
    if not isinstance(sources, list | tuple) or not sources:
        return "sources must be a non-empty array: the platform nonce S1, then any public values"
    for index, source in enumerate(sources):
        if not isinstance(source, str):
            return f"sources[{index}] must be a string, found {_json_type(source)}"
    # Reading: §3 hashes "the ASCII bytes of S1" for nonce_sha256, so S1 must be ASCII. Its
    # form (64 lower-case hex characters) is the platform's job and is not enforced here.
    if not sources[0].isascii():
        return "sources[0] (the platform nonce S1) must be ASCII text"
    return None


def _summarise(heading: str, problems: list[str], shown: int = 5) -> str:
    lines = problems[:shown]
    if len(problems) > shown:
        lines.append(f"... and {len(problems) - shown} more")
    return f"{heading}:\n  " + "\n  ".join(lines)


# --- §7: the verifier ---------------------------------------------------------------------------


class Check(NamedTuple):
    """The outcome of one verifier check."""

    name: str  # "manifest", "nonce", "selection", "teams" or "result"
    status: str  # "passed", "failed" or "skipped"
    detail: str = ""


def _shorten(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def verify(document: Any, exclusions: Iterable[Sequence[str]] | None = None) -> list[Check]:
    """Check a draw document (§7) and return the checks, in order, by name.

    The checks are ``manifest``, ``nonce``, ``selection``, ``teams`` and ``result``. ``teams``
    needs the private exclusion list and is ``skipped`` without it. A failed check's detail
    names the first difference found. Malformed input is reported as failed, never raised.
    """
    context = _VerifyContext(document)
    checks = []
    for name, run in (
        ("manifest", context.check_manifest),
        ("nonce", context.check_nonce),
        ("selection", context.check_selection),
        ("teams", lambda: context.check_teams(exclusions)),
        ("result", context.check_result),
    ):
        try:
            status, detail = run()
        except Exception as error:  # the verifier reports, it never crashes on bad input
            status, detail = "failed", f"could not run this check: {type(error).__name__}: {error}"
        checks.append(Check(name, status, detail))
    return checks


class _VerifyContext:
    """Holds what the checks share, so that the draw is recomputed at most once."""

    def __init__(self, document: Any) -> None:
        self.document = document if isinstance(document, dict) else {}
        self.is_object = isinstance(document, dict)
        manifest = self.document.get("manifest")
        self.manifest = manifest if isinstance(manifest, dict) else None
        self.problems: list[str] | None = None  # None: the document has no manifest
        if "manifest" in self.document:
            try:
                self.problems = manifest_problems(manifest)
            except Exception as error:  # only Python callers can pass such values, never JSON
                self.problems = [f"the manifest cannot be checked: {type(error).__name__}"]
        self.sources = self.document.get("sources")
        self._selection: tuple[list[_Pick], dict[str, list[str]]] | None = None

    def _blocker(self) -> str | None:
        """Say why the draw cannot be recomputed, or return None when it can."""
        if not self.is_object:
            return "not recomputed: the document is not a JSON object"
        if self.problems is None:
            return "not recomputed: the document has no manifest"
        # Reading: the platform never draws from a manifest that breaks §2 (draw() refuses),
        # so such a document cannot be a valid draw; the verifier does not recompute it.
        if self.problems:
            return "not recomputed: the manifest breaks §2 (see the manifest check)"
        sources_problem = _sources_problem(self.sources)
        if sources_problem:
            return f"not recomputed: {sources_problem}"
        return None

    def _published_result(self) -> tuple[dict | None, str | None]:
        result = self.document.get("result")
        if not isinstance(result, dict):
            return None, f"result must be an object, found {_json_type(result)}"
        problems = _field_problems("result", result, RESULT_FIELDS)
        if problems:
            return None, problems[0]
        if not isinstance(result["selected"], list):
            return None, f"result.selected must be an array, found {_json_type(result['selected'])}"
        if not isinstance(result["alternates"], dict):
            return None, (
                f"result.alternates must be an object, found {_json_type(result['alternates'])}"
            )
        return result, None

    def recomputed_selection(self) -> tuple[list[_Pick], dict[str, list[str]]]:
        if self._selection is None:
            self._selection = _select_enterprises(self.manifest, make_key(self.sources))
        return self._selection

    # Each check returns (status, detail).

    def check_manifest(self) -> tuple[str, str]:
        if not self.is_object:
            return "failed", "the document is not a JSON object"
        # Reading: §7 names no check for the document's "spec" field; it is checked here,
        # first, because every other rule depends on which specification the document follows.
        if self.document.get("spec") != SPEC:
            return "failed", (
                f"the document follows spec {_shorten(self.document.get('spec'))}, "
                f"this verifier implements {SPEC!r}"
            )
        if "manifest" not in self.document:
            return "failed", "the document has no manifest"
        published = self.document.get("manifest_sha256")
        actual = sha256_hex(canonical_json(self.document["manifest"]))
        if published != actual:
            return "failed", (
                f"manifest_sha256 is {_shorten(published)}, but the manifest hashes to {actual}"
            )
        if self.problems:
            return "failed", _summarise("the manifest breaks §2", self.problems, shown=3)
        return "passed", f"manifest_sha256 {actual}"

    def check_nonce(self) -> tuple[str, str]:
        if not self.is_object:
            return "failed", "the document is not a JSON object"
        sources = self.sources
        if not isinstance(sources, list) or not sources or not isinstance(sources[0], str):
            return "failed", "sources must be a non-empty array whose first entry is S1"
        if not sources[0].isascii():
            return "failed", "sources[0] (the platform nonce S1) is not ASCII text"
        published = self.document.get("nonce_sha256")
        actual = sha256_hex(sources[0].encode("ascii"))
        if published != actual:
            return "failed", (
                f"nonce_sha256 is {_shorten(published)}, but sources[0] hashes to {actual}"
            )
        return "passed", f"sources[0] hashes to the published nonce_sha256 {actual}"

    def check_selection(self) -> tuple[str, str]:
        blocker = self._blocker()
        if blocker:
            return "failed", blocker
        result, shape_problem = self._published_result()
        if shape_problem:
            return "failed", shape_problem
        expected, expected_alternates = self.recomputed_selection()
        found = result["selected"]
        for index, (pick, entry) in enumerate(zip(expected, found, strict=False)):
            where = f"result.selected[{index}]"
            if not isinstance(entry, dict):
                return "failed", f"{where} must be an object, found {_json_type(entry)}"
            field_problems = _field_problems(where, entry, SELECTED_FIELDS)
            if field_problems:
                return "failed", field_problems[0]
            if entry["uscc"] != pick.uscc:
                return "failed", (
                    f"{where}: expected enterprise {pick.uscc}, found {_shorten(entry['uscc'])}"
                )
            for field, value in (("stratum", pick.stratum), ("score", pick.score)):
                if entry[field] != value:
                    return "failed", (
                        f"{where} (enterprise {pick.uscc}): {field} expected {value!r}, "
                        f"found {_shorten(entry[field])}"
                    )
        if len(found) != len(expected):
            if len(found) < len(expected):
                extra = f"first missing: {expected[len(found)].uscc}"
            else:
                extra = f"first extra entry: {_shorten(found[len(expected)])}"
            return "failed", (
                f"expected {len(expected)} selected enterprises, found {len(found)} ({extra})"
            )
        published_alternates = result["alternates"]
        for label, alternates in expected_alternates.items():
            if label not in published_alternates:
                return "failed", f"result.alternates has no entry for stratum {label!r}"
            difference = _first_list_difference(alternates, published_alternates[label])
            if difference:
                return "failed", f"result.alternates[{label!r}]: {difference}"
        for label in published_alternates:
            if label not in expected_alternates:
                return "failed", f"result.alternates has an unknown stratum {_shorten(label)}"
        count = sum(len(alternates) for alternates in expected_alternates.values())
        return "passed", f"{len(expected)} selected enterprises and {count} alternates recomputed"

    def check_teams(self, exclusions: Iterable[Sequence[str]] | None) -> tuple[str, str]:
        if exclusions is None:
            return "skipped", (
                "no exclusion list given; the teams can be checked by an auditor who holds it"
            )
        blocker = self._blocker()
        if blocker:
            return "failed", blocker
        try:
            pairs = canonical_exclusions(exclusions)
        except ValueError as error:
            return "failed", f"the exclusion list is unusable: {error}"
        digest = exclusions_digest(pairs)
        if digest != self.manifest["exclusions_sha256"]:
            return "failed", (
                f"the exclusion list hashes to {digest}, but the manifest's exclusions_sha256 "
                f"is {self.manifest['exclusions_sha256']}"
            )
        result, shape_problem = self._published_result()
        if shape_problem:
            return "failed", shape_problem
        expected, _ = self.recomputed_selection()
        found = result["selected"]
        if len(found) != len(expected):
            return "failed", (
                f"cannot compare teams: expected {len(expected)} selected enterprises, "
                f"found {len(found)} (see the selection check)"
            )
        drawer = _TeamDrawer(
            self.manifest, _exclusions_by_enterprise(pairs), make_key(self.sources)
        )
        for index, (pick, entry) in enumerate(zip(expected, found, strict=True)):
            uscc = pick.uscc
            try:
                team, over_cap = drawer.team_for(uscc)
            except DrawError as error:
                return "failed", f"the teams cannot be recomputed: {error}"
            where = f"result.selected[{index}] (enterprise {uscc})"
            if not isinstance(entry, dict):
                return "failed", f"{where} must be an object, found {_json_type(entry)}"
            difference = _first_list_difference(team, entry.get("team"), item="slot")
            if difference:
                return "failed", f"{where}: team {difference}"
            found_over_cap = entry.get("over_cap")
            if found_over_cap != over_cap:
                return "failed", (
                    f"{where}: over_cap expected {over_cap}, found {_shorten(found_over_cap)}"
                )
        return "passed", f"{len(expected)} teams recomputed with the exclusion list"

    def check_result(self) -> tuple[str, str]:
        if not self.is_object:
            return "failed", "the document is not a JSON object"
        if "result" not in self.document:
            return "failed", "the document has no result"
        published = self.document.get("result_sha256")
        actual = sha256_hex(canonical_json(self.document["result"]))
        if published != actual:
            return "failed", (
                f"result_sha256 is {_shorten(published)}, but the result hashes to {actual}"
            )
        return "passed", f"result_sha256 {actual}"


def _first_list_difference(expected: list, found: Any, item: str = "position") -> str | None:
    if not isinstance(found, list):
        return f"expected an array, found {_json_type(found)}"
    for index, (wanted, got) in enumerate(zip(expected, found, strict=False)):
        if wanted != got:
            return f"{item} {index} expected {wanted!r}, found {_shorten(got)}"
    if len(found) != len(expected):
        return f"expected {len(expected)} entries, found {len(found)}"
    return None


# --- §8: replacements after the draw ------------------------------------------------------------


class ReplacementError(ValueError):
    """A replacement that §8 does not allow: the enterprise is not selected, or no alternate
    of its stratum is left."""


class _Assignment(NamedTuple):
    stratum: str
    team: list[str]
    over_cap: list[int]


class _ReplacementState:
    """The selection as it stands after the draw and the replacements applied so far.

    Reading (loads): an inspector's load is the number of enterprises it is currently assigned
    to inspect, that is, the number of current teams it belongs to. The cap is "enterprises per
    inspector", and the platform sizes it from the number of selected enterprises, so this keeps
    the sum of loads equal to the seats in current teams. It follows that a replacement that
    takes over a team changes no load (the team moves), and that the team of a replaced
    enterprise that does not take it over is released. A new team is formed with the loads "as
    they stand after the draw and earlier replacements" (§8), literally: the replacement being
    made is not earlier, so the team it releases still counts while the new one is formed.
    """

    def __init__(self, document: dict, excluded: dict[str, set[str]]) -> None:
        self.manifest = document["manifest"]
        self.key = make_key(document["sources"])
        self.excluded = excluded
        result = document["result"]
        self.alternates: dict[str, list[str]] = result["alternates"]
        self.current: dict[str, _Assignment] = {
            entry["uscc"]: _Assignment(entry["stratum"], entry["team"], entry["over_cap"])
            for entry in result["selected"]
        }
        self.replaced_by: dict[str, str] = {}
        self.used_alternates: set[str] = set()

    def apply(self, replaced: str) -> dict:
        assignment = self.current.get(replaced)
        if assignment is None:
            if replaced in self.replaced_by:
                raise ReplacementError(
                    f"enterprise {replaced} was already replaced by {self.replaced_by[replaced]}"
                )
            raise ReplacementError(f"enterprise {replaced} is not selected in this draw")
        # Reading: "the next unused alternate of its own stratum, in order" — an alternate is
        # used once it has replaced anyone, even if it was replaced in turn later. A replacement
        # belongs to the stratum of the enterprise it replaced, so replacing a replacement takes
        # the next alternate of that same stratum.
        stratum = assignment.stratum
        replacement = next(
            (u for u in self.alternates.get(stratum, []) if u not in self.used_alternates), None
        )
        if replacement is None:
            count = len(self.alternates.get(stratum, []))
            raise ReplacementError(
                f"enterprise {replaced} cannot be replaced: stratum {stratum!r} has no unused "
                f"alternate left (it has {count}, all used)"
            )
        excluded_for_replacement = self.excluded.get(replacement, set())
        if any(member in excluded_for_replacement for member in assignment.team):
            loads = Counter(member for held in self.current.values() for member in held.team)
            drawer = _TeamDrawer(self.manifest, self.excluded, self.key, loads)
            team, over_cap = drawer.team_for(replacement)
            reformed = True
        else:
            # Reading: the team is taken over as it is, with its over_cap record, since the
            # record describes how that team was formed.
            team, over_cap = list(assignment.team), list(assignment.over_cap)
            reformed = False
        del self.current[replaced]
        self.current[replacement] = _Assignment(stratum, team, over_cap)
        self.replaced_by[replaced] = replacement
        self.used_alternates.add(replacement)
        return {
            "replaced": replaced,
            "replacement": replacement,
            "stratum": stratum,
            "team": team,
            "over_cap": over_cap,
            "team_reformed": reformed,
        }


def replace(
    document: dict,
    exclusions: Iterable[Sequence[str]],
    replaced_uscc: str,
    previous_replacements: Sequence[dict] = (),
) -> dict:
    """Replace a selected enterprise after the draw (§8) and return the replacement record.

    ``previous_replacements`` are the records returned for this draw's earlier replacements,
    in the order they were made; they are replayed and must match the rules (ValueError if
    not). The replacement is the next unused alternate of the replaced enterprise's stratum; it
    takes over the replaced enterprise's team unless a member of that team is excluded for it,
    in which case a new team is formed by §5.2 (``team_reformed`` is then true). An enterprise
    that is itself a replacement can be replaced in turn.

    The record is ``{"replaced", "replacement", "stratum", "team", "over_cap",
    "team_reformed"}``. Raises ReplacementError when the enterprise is not (or no longer)
    selected or no alternate is left, and DrawError when a new team cannot be formed. The
    document's result is trusted: verify it first.
    """
    if not isinstance(document, dict):
        raise ValueError("the draw document must be a JSON object")
    problems = manifest_problems(document.get("manifest"))
    if problems:
        raise ValueError(_summarise("the document's manifest breaks §2", problems))
    unusable = _sources_problem(document.get("sources")) or _published_result_problem(
        document.get("result")
    )
    if unusable:
        raise ValueError(unusable)
    pairs = canonical_exclusions(exclusions)
    digest = exclusions_digest(pairs)
    if digest != document["manifest"]["exclusions_sha256"]:
        raise ValueError(
            f"the exclusion list hashes to {digest}, not to the manifest's exclusions_sha256"
        )
    state = _ReplacementState(document, _exclusions_by_enterprise(pairs))
    fields = ("replaced", "replacement", "stratum", "team", "over_cap", "team_reformed")
    for index, earlier in enumerate(previous_replacements):
        if not isinstance(earlier, dict) or not isinstance(earlier.get("replaced"), str):
            raise ValueError(f"previous_replacements[{index}] is not a replacement record")
        try:
            replayed = state.apply(earlier["replaced"])
        except (ReplacementError, DrawError) as error:
            raise ValueError(f"previous_replacements[{index}] is not valid: {error}") from error
        for field in fields:
            if earlier.get(field) != replayed[field]:
                raise ValueError(
                    f"previous_replacements[{index}] does not follow §8: {field} is "
                    f"{_shorten(earlier.get(field))}, the rules give {replayed[field]!r}"
                )
    return state.apply(replaced_uscc)


def _published_result_problem(result: Any) -> str | None:
    if not isinstance(result, dict):
        return "the document has no result object"
    selected, alternates = result.get("selected"), result.get("alternates")
    if not isinstance(selected, list) or not isinstance(alternates, dict):
        return "the document's result must have a selected array and an alternates object"
    for index, entry in enumerate(selected):
        if not isinstance(entry, dict) or any(name not in entry for name in SELECTED_FIELDS):
            return f"result.selected[{index}] is not a complete entry"
    return None


# --- The command line ---------------------------------------------------------------------------


class _InputError(Exception):
    """An input file that cannot be used; the command line exits with status 2."""


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    # Two parsers may keep different copies of a repeated key; a draw must mean one thing.
    obj = {}
    for name, value in pairs:
        if name in obj:
            raise _InputError(f"the JSON object key {name!r} appears twice")
        obj[name] = value
    return obj


def _load_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8-sig") as file:  # "-sig": accept a Windows BOM
            return json.load(file, object_pairs_hook=_reject_duplicate_keys)
    except _InputError as error:
        raise _InputError(f"{path}: {error}") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _InputError(f"{path}: cannot read it as JSON: {error}") from error


def _command_draw(bundle_path: str, sources: list[str]) -> int:
    bundle = _load_json(bundle_path)
    if not isinstance(bundle, dict) or "manifest" not in bundle or "exclusions" not in bundle:
        raise _InputError(
            f'{bundle_path}: expected {{"manifest": {{...}}, "exclusions": [[uscc, id], ...]}}'
        )
    try:
        document = draw(bundle["manifest"], bundle["exclusions"], sources)
    except DrawError as error:
        print(error, file=sys.stderr)
        return 1
    except ValueError as error:
        raise _InputError(str(error)) from error
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return 0


def _command_verify(document_path: str, exclusions_path: str | None) -> int:
    document = _load_json(document_path)
    exclusions = _load_json(exclusions_path) if exclusions_path else None
    if exclusions_path and exclusions is None:
        raise _InputError(f"{exclusions_path}: expected an array of [uscc, inspector_id] pairs")
    checks = verify(document, exclusions)
    for check in checks:
        print(f"{check.name}: {check.status}" + (f" {check.detail}" if check.detail else ""))
    return 1 if any(check.status == "failed" for check in checks) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="drawspec.py",
        description=f"Make or verify a {SPEC} random draw (摇号) of the Shijiazhuang "
        "Emergency Management Bureau's 双随机、一公开 platform. Needs only Python 3.11+.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    draw_parser = commands.add_parser(
        "draw",
        help="make a draw and print its draw document as JSON",
        description="Make a draw and print the draw document (JSON, UTF-8) to standard output. "
        "Exit status: 0 done, 1 a team slot cannot be filled, 2 unusable input.",
    )
    draw_parser.add_argument(
        "bundle",
        metavar="BUNDLE.json",
        help='{"manifest": {...}, "exclusions": [[uscc, inspector_id], ...]}',
    )
    draw_parser.add_argument(
        "sources",
        metavar="SOURCE",
        nargs="+",
        help="S1 (the platform nonce), then the external public values, exactly as published; "
        "quote values with spaces, and put -- before a value that starts with -",
    )
    verify_parser = commands.add_parser(
        "verify",
        help="check a published draw document",
        description="Check a draw document and print one line per check. Exit status: 0 no "
        "check failed, 1 a check failed, 2 a file cannot be read as JSON.",
    )
    verify_parser.add_argument("document", metavar="DOC.json", help="the draw document")
    verify_parser.add_argument(
        "exclusions",
        metavar="EXCLUSIONS.json",
        nargs="?",
        help="the private exclusion list, a JSON array of [uscc, inspector_id] pairs; "
        "without it the teams check is skipped",
    )
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # Chinese text whatever the terminal's locale
            stream.reconfigure(encoding="utf-8")
    try:
        if args.command == "draw":
            return _command_draw(args.bundle, args.sources)
        return _command_verify(args.document, args.exclusions)
    except _InputError as error:
        print(f"drawspec.py: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
