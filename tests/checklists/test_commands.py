import pytest
from django.core.management import CommandError, call_command

from checklists.models import CheckItem
from shijiazhuang_sr.audit.models import AuditEntry
from tests.checklists.test_imports import row, setup_vocabulary, xlsx


def test_import_items_dry_run_reports_and_saves_nothing(db, tmp_path, capsys):
    setup_vocabulary()
    path = tmp_path / "清单.xlsx"
    path.write_bytes(xlsx(row()))
    call_command("import_items", str(path), "--dry-run")
    assert "预检通过（尚未保存）：共 1 行，新增 1" in capsys.readouterr().out
    assert not CheckItem.objects.exists()


def test_import_items_saves_everything_through_the_command_channel(db, tmp_path, capsys):
    setup_vocabulary()
    path = tmp_path / "清单.xlsx"
    path.write_bytes(xlsx(row()))
    call_command("import_items", str(path))
    assert "导入完成" in capsys.readouterr().out
    assert CheckItem.objects.filter(code="HB-GM-001").exists()
    assert AuditEntry.objects.get(event="checklists.item.imported").channel == "command"


def test_import_items_fails_with_the_row_report(db, tmp_path, capsys):
    setup_vocabulary()
    path = tmp_path / "清单.xlsx"
    path.write_bytes(xlsx(row(事项类别="特别")))
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_items", str(path))
    assert "第 2 行「事项类别」" in capsys.readouterr().out
    assert not CheckItem.objects.exists()


def test_import_items_names_a_missing_file(db):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_items", "/no/such/file.xlsx")
