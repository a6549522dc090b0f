import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from shijiazhuang_sr.accounts.validators import CharacterClassesValidator


@pytest.mark.parametrize("password", ["Qwmzkt71", "ruvx9jp!", "TRUVX9P!", "Xy#Zwq12"])
def test_it_accepts_three_classes_and_eight_characters(password):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1!", "too short"),
        ("abcdefgh", "one class"),
        ("abcdefg1", "two classes"),
        ("ABCDEFG!", "two classes"),
    ],
)
def test_it_rejects_weak_passwords(password, reason):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_it_explains_the_rule_in_chinese():
    with pytest.raises(ValidationError) as caught:
        CharacterClassesValidator().validate("abcdefgh")
    assert "至少 3 类" in caught.value.messages[0]
