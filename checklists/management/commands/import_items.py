"""`python manage.py import_items FILE [--dry-run]`: the item list from xlsx/csv, all or nothing."""

from checklists.imports import CheckItemImport
from shijiazhuang_sr.core.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "导入抽查事项清单（.xlsx 或 .csv，格式同导出文件）；任何一行有错误则不保存。"
    importer_class = CheckItemImport
