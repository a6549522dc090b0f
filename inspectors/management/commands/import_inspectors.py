"""`python manage.py import_inspectors FILE [--dry-run]`: the justice bureau's export.

Same importer and report as the web page. Exits non-zero on any error; nothing is saved then.
"""

from inspectors.imports import InspectorImport
from shijiazhuang_sr.core.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "从市司法局执法人员数据库导出文件（.xlsx/.csv）导入执法人员名录库，按执法证号更新或新增。"
    )
    importer_class = InspectorImport
