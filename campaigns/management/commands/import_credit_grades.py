"""`python manage.py import_credit_grades FILE [--dry-run]`: the monthly credit-risk grades."""

from campaigns.imports.register import CreditGradeImport
from shijiazhuang_sr.core.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "导入企业信用风险分类结果（列：统一社会信用代码、信用等级、生效日期；"
        "任何一行有错误则整个文件不保存）。"
    )
    importer_class = CreditGradeImport
