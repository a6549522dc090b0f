"""The USCC rule of GB 32100-2015, checked against real codes and an independent computation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from campaigns import drawspec
from campaigns.uscc import (
    ALPHABET,
    is_valid_uscc,
    make_uscc,
    normalize_uscc,
    org_code_check_char,
    uscc_check_char,
    uscc_problem,
    validate_uscc,
)

# Published codes of well-known enterprises (their registration certificates).
REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
]


def reference_check(first17: str) -> str:
    """The standard's formula written out differently: the weights are the powers of 3 mod 31."""
    total = 0
    for position, character in enumerate(first17):
        total += "0123456789ABCDEFGHJKLMNPQRTUWXY".index(character) * pow(3, position, 31)
    value = (31 - total % 31) % 31
    return "0123456789ABCDEFGHJKLMNPQRTUWXY"[value]


def test_it_accepts_published_codes():
    for code in REAL_CODES:
        assert is_valid_uscc(code)
        assert uscc_problem(code) is None
        validate_uscc(code)


def test_its_check_character_matches_the_written_out_formula():
    for code in REAL_CODES:
        assert uscc_check_char(code[:17]) == reference_check(code[:17]) == code[17]
    # By hand, for 华为 (values 9,1,4,4,0,3,0,0,1,9,2,2,0,3,8,2,1 times the weights): the sum
    # is 831, 831 mod 31 = 25, 31 - 25 = 6.
    values = [ALPHABET.index(c) for c in "91440300192203821"]
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert sum(v * w for v, w in zip(values, weights, strict=True)) == 831


def test_the_weights_are_the_powers_of_three_modulo_31():
    from campaigns.uscc import WEIGHTS

    assert list(WEIGHTS) == [pow(3, i, 31) for i in range(17)]


def test_a_check_value_of_31_means_zero():
    # Find a body whose weighted sum is divisible by 31: its check character is "0".
    body = next(
        f"9113010{n:010d}" for n in range(1000) if reference_check(f"9113010{n:010d}") == "0"
    )
    assert uscc_check_char(body) == "0"
    assert is_valid_uscc(body + "0")


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_single_character_substitution_is_detected(code):
    for position in range(18):
        for character in ALPHABET:
            if character == code[position]:
                continue
            corrupted = code[:position] + character + code[position + 1 :]
            assert not is_valid_uscc(corrupted), corrupted
            assert "校验位错误" in uscc_problem(corrupted)


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_adjacent_transposition_of_different_characters_is_detected(code):
    for position in range(16):  # positions 1-17: the check character is position 18
        a, b = code[position], code[position + 1]
        if a == b:
            continue
        swapped = code[:position] + b + a + code[position + 2 :]
        assert not is_valid_uscc(swapped), swapped


def test_it_normalises_full_width_lower_case_and_spaces():
    full_width = "９１４４０３００７０８４６１１３６Ｔ"
    assert normalize_uscc(full_width) == "91440300708461136T"
    assert normalize_uscc(" 9144 0300 7084 6113 6t\n") == "91440300708461136T"
    assert normalize_uscc("\u30009144030070846113６ｔ\u3000") == "91440300708461136T"
    assert normalize_uscc(None) == ""
    assert is_valid_uscc("91440300708461136t")
    assert is_valid_uscc(full_width)


def test_the_validator_checks_the_value_as_stored():
    with pytest.raises(ValidationError) as error:
        validate_uscc("91440300708461136t")
    assert "第 18 位的“t”应写作“T”" in error.value.messages[0]


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_it_names_the_letters_the_code_never_uses(letter):
    code = "9144030070846113" + letter + "T"
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    message = error.value.messages[0]
    assert f"第 17 位的“{letter}”不是有效字符" in message
    assert "不使用字母 I、O、S、V、Z" in message


def test_it_rejects_other_characters():
    assert "第 3 位的“-”不是有效字符" in uscc_problem("91-403007084611361")
    assert "第 1 位的“统”不是有效字符" in uscc_problem("统1440300708461136T")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", "统一社会信用代码不能为空"),
        ("91440300708461136", "应为 18 位，当前为 17 位"),
        ("91440300708461136TT", "应为 18 位，当前为 19 位"),
        ("9144", "当前为 4 位"),
    ],
)
def test_it_says_when_the_length_is_wrong(code, expected):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert expected in error.value.messages[0]


def test_it_says_which_check_character_was_expected():
    with pytest.raises(ValidationError) as error:
        validate_uscc("91440300708461136A")
    assert error.value.messages == [
        "校验位错误：按前 17 位计算，第 18 位应为“T”，而不是“A”。请核对代码是否抄错。"
    ]


def test_the_check_character_needs_17_characters_of_the_alphabet():
    with pytest.raises(ValueError, match="expected 17 characters"):
        uscc_check_char("9144030070846113")
    with pytest.raises(ValueError, match="expected 17 characters"):
        uscc_check_char("9144030070846113I")


def test_the_organisation_code_check_matches_real_codes():
    # Positions 9-17 are a GB 11714 organisation code: 8 characters and its own check.
    for code in REAL_CODES:
        assert org_code_check_char(code[8:16]) == code[16]


def test_made_codes_are_valid_deterministic_and_carry_the_region():
    code = make_uscc("130181", 1234)
    assert is_valid_uscc(code)
    assert code[2:8] == "130181"
    assert code[:2] == "91"
    assert make_uscc("130181", 1234) == code
    assert make_uscc("130181", 1235) != code
    assert make_uscc("130102", 1234) != code
    with pytest.raises(ValueError):
        make_uscc("1301", 1)
    with pytest.raises(ValueError):
        make_uscc("130102", 10**8)


alphabet_text = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(alphabet_text)
def test_any_body_with_its_check_character_is_valid(body):
    code = body + uscc_check_char(body)
    assert is_valid_uscc(code)
    assert uscc_check_char(body) == reference_check(body)


@given(alphabet_text, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_any_substitution_of_a_valid_code_is_invalid(body, position, character):
    code = body + uscc_check_char(body)
    corrupted = code[:position] + character + code[position + 1 :]
    assert is_valid_uscc(corrupted) == (corrupted == code)


@given(alphabet_text)
def test_it_agrees_with_the_draw_engine_copy(body):
    assert drawspec._uscc_check_character(body) == uscc_check_char(body)
    code = body + uscc_check_char(body)
    assert drawspec._invalid_uscc_positions([code]) == []


@given(st.integers(0, 10**8 - 1), st.sampled_from(["130102", "130181", "130171"]))
def test_made_codes_are_always_valid(serial, region):
    assert is_valid_uscc(make_uscc(region, serial))
