"""The register's models: areas, the name-search column, industry codes, constraints."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campaigns.models import Area, Enterprise
from campaigns.models.register import (
    fragment_query,
    name_grams,
    normalize_industry_code,
    validate_industry_code,
)
from tests.campaigns.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_the_22_areas_and_the_two_zones():
    assert Area.objects.count() == 24
    assert Area.objects.exclude(kind=Area.Kind.ZONE).count() == 22
    assert Area.objects.get(code="130181").name == "辛集市"
    assert Area.objects.get(code="130102").kind == Area.Kind.DISTRICT
    assert set(Area.objects.filter(kind=Area.Kind.ZONE).values_list("name", flat=True)) == {
        "高新区",
        "循环化工园区",
    }


def test_name_grams_hold_every_character_and_every_adjacent_pair():
    assert name_grams("石家庄化工") == ("'化' '化工' '家' '家庄' '工' '庄' '庄化' '石' '石家'")


def test_name_grams_lower_case_skip_spaces_and_escape_quotes():
    assert name_grams("AB 化") == "'a' 'ab' 'b' 'b化' '化'"
    assert name_grams("O'Neil\\") == name_grams("o'neil\\")
    assert "'''n'" in name_grams("'N")  # a quote inside a lexeme is doubled
    assert "'\\\\'" in name_grams("\\")  # a backslash is escaped


def test_a_fragment_query_is_the_and_of_its_pairs_or_its_single_character():
    assert fragment_query("化") == "'化'"
    assert fragment_query("化工") == "'化工'"
    assert fragment_query("石家庄") == "'石家' & '家庄'"
    assert fragment_query("哈哈哈") == "'哈哈'"  # each pair once


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2614", "C2614"), ("c2614", "C2614"), (" C 2614 ", "C2614"), ("C", "C"), ("0511", "A0511")],
)
def test_industry_codes_get_their_section_letter(text, expected):
    assert normalize_industry_code(text) == expected


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("X26", "格式不正确"),
        ("C2", "格式不正确"),
        ("C26145", "格式不正确"),
        ("C99", "没有“99”大类"),
        ("B2614", "属于门类 C，而不是 B"),
    ],
)
def test_invalid_industry_codes_are_explained(code, message):
    with pytest.raises(ValidationError) as error:
        validate_industry_code(code)
    assert message in error.value.messages[0]


def test_valid_industry_codes_pass():
    for code in ("C", "C26", "C261", "C2614", "F5265", "T97"):
        validate_industry_code(code)


def test_the_database_refuses_key_supervision_without_a_reason():
    enterprise = EnterpriseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(is_key_supervision=True)


def test_the_database_refuses_a_grade_without_its_date():
    enterprise = EnterpriseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(credit_grade="B")


def test_an_enterprise_reads_as_its_name_and_code():
    enterprise = EnterpriseFactory(name="石家庄恒达化工有限公司")
    assert str(enterprise) == f"石家庄恒达化工有限公司（{enterprise.uscc}）"
