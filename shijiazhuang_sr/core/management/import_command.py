"""Base of the `import_*` management commands: same importer as the web page, same report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shijiazhuang_sr.audit.context import Channel


class ImportCommand(BaseCommand):
    importer_class = None  # a TabularImport subclass

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不保存任何数据")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        importer = self.importer_class()
        with path.open("rb") as stream:
            report = importer.run(
                stream,
                filename=path.name,
                size=path.stat().st_size,
                dry_run=options["dry_run"],
                channel=Channel.COMMAND,
            )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"导入失败：{report.error_count} 处错误，未保存任何数据。")
