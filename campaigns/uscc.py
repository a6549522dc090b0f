"""The unified social credit code (统一社会信用代码, USCC) of GB 32100-2015.

Every enterprise of the register is keyed by its USCC, and every form and import that takes one
goes through this module: first `normalize_uscc` (what people type or paste: spaces, full-width
characters from Chinese input methods, lower case), then `validate_uscc`, whose messages say
exactly what is wrong.

The code has 18 characters from an alphabet of 31 (digits and upper-case letters without I, O,
S, V and Z):

    position 1       登记管理部门代码 (9 = market regulation, i.e. enterprises)
    position 2       机构类别代码 (1 = enterprise)
    positions 3-8    登记管理机关行政区划码 (石家庄市 1301xx)
    positions 9-17   主体标识码 (the GB 11714 organisation code: 8 characters and a check)
    position 18      校验码: c = 31 - (sum of value x weight mod 31), with c = 31 meaning 0.

`campaigns/drawspec.py` carries its own copy of the check (it must run stand-alone); the tests
check that both agree.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {character: value for value, character in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
FORBIDDEN_LETTERS = "IOSVZ"
_SHAPE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")
_WHITESPACE = re.compile(r"\s+")

# GB 11714 organisation code (positions 9-17 of a USCC): 8 characters, then a check character.
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalize_uscc(text: str | None) -> str:
    """What a person meant to type: no white space, half-width, upper case.

    Full-width characters (Ｏ, １, ｘ) come from Chinese input methods; NFKC maps them to their
    ASCII forms. White space inside the code (a code pasted in groups) is dropped too.
    """
    if text is None:
        return ""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", str(text))).upper()


def uscc_check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a USCC.

    Raises ValueError when `first17` is not 17 characters of the USCC alphabet.
    """
    if len(first17) != LENGTH - 1 or any(character not in VALUES for character in first17):
        raise ValueError(f"expected 17 characters of {ALPHABET!r}, got {first17!r}")
    return _check_char(first17)


def _check_char(first17: str) -> str:
    values = map(VALUES.__getitem__, first17)
    total = sum(value * weight for value, weight in zip(values, WEIGHTS, strict=True))
    check = 31 - total % 31
    return ALPHABET[0 if check == 31 else check]


def uscc_problem(value: str) -> str | None:
    """Say in Chinese what is wrong with `value` as stored (not normalised), or None if valid."""
    if _SHAPE.fullmatch(value or ""):  # the usual case: only the check character can be wrong
        return _check_problem(value)
    if not value:
        return "统一社会信用代码不能为空。"
    if len(value) != LENGTH:
        return f"统一社会信用代码应为 18 位，当前为 {len(value)} 位。"
    bad = [
        (position, character)
        for position, character in enumerate(value, start=1)
        if character not in VALUES
    ]
    if bad:
        position, character = bad[0]
        if character in FORBIDDEN_LETTERS:
            return (
                f"第 {position} 位的“{character}”不是有效字符："
                "统一社会信用代码不使用字母 I、O、S、V、Z。"
            )
        if normalize_uscc(character) in VALUES:
            return (
                f"第 {position} 位的“{character}”应写作“{normalize_uscc(character)}”："
                "统一社会信用代码使用半角大写字母和数字。"
            )
        return (
            f"第 {position} 位的“{character}”不是有效字符："
            "统一社会信用代码只能由数字和大写字母（不含 I、O、S、V、Z）组成。"
        )
    return _check_problem(value)


def _check_problem(value: str) -> str | None:
    expected = _check_char(value[:17])
    if value[17] == expected:
        return None
    return (
        f"校验位错误：按前 17 位计算，第 18 位应为“{expected}”，而不是“{value[17]}”。"
        "请核对代码是否抄错。"
    )


def is_valid_uscc(text: str | None) -> bool:
    """True when `text`, once normalised, is a valid USCC."""
    value = normalize_uscc(text)
    return _SHAPE.fullmatch(value) is not None and value[17] == _check_char(value[:17])


def validate_uscc(value: str) -> None:
    """Django validator: raise ValidationError (in Chinese) unless `value` is a valid USCC.

    The value is checked as it is: forms and imports normalise first (`normalize_uscc`), so a
    code typed with spaces or in full-width characters is accepted there, while a model can
    never store an unnormalised code.
    """
    problem = uscc_problem(value or "")
    if problem:
        raise ValidationError(problem, code="invalid_uscc")


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    values = [_ORG_ALPHABET.index(character) for character in first8]
    total = sum(value * weight for value, weight in zip(values, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(region_code: str, serial: int, *, department: str = "9", category: str = "1") -> str:
    """A valid, realistic USCC for demo and benchmark data (never for real enterprises).

    `region_code` is the 6-digit area code (positions 3-8), `serial` a number below 10**8 that
    becomes the organisation code's body; the same arguments always give the same code.
    """
    if not (len(region_code) == 6 and region_code.isdigit()):
        raise ValueError(f"region_code must be 6 digits, got {region_code!r}")
    if not 0 <= serial < 10**8:
        raise ValueError("serial must be in 0 .. 99,999,999")
    body = f"{serial:08d}"
    first17 = f"{department}{category}{region_code}{body}{org_code_check_char(body)}"
    return first17 + uscc_check_char(first17)
