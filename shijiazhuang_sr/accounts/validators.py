import string

from django.core.exceptions import ValidationError


class CharacterClassesValidator:
    """A password must mix at least `min_classes` of: lower case, upper case, digits, symbols.

    The 等保2.0 level-2 rule asks for complexity; three classes of four is the usual reading.
    """

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum(
            [
                any(ch in string.ascii_lowercase for ch in password),
                any(ch in string.ascii_uppercase for ch in password),
                any(ch.isdigit() for ch in password),
                any(not ch.isalnum() for ch in password),
            ]
        )

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、特殊符号中的至少 %(n)d 类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、特殊符号中的至少 {self.min_classes} 类。"
