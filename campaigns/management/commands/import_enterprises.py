"""`python manage.py import_enterprises FILE [--dry-run]`: upsert the register by USCC."""

from campaigns.imports.register import EnterpriseImport
from shijiazhuang_sr.core.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "导入检查对象名录库（按统一社会信用代码新增或更新；任何一行有错误则整个文件不保存）。"
    importer_class = EnterpriseImport
