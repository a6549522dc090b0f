"""`manage.py import_inspectors FILE [--dry-run]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from inspectors.models import Inspector
from shijiazhuang_sr.audit.models import AuditEntry
from tests.inspectors.files import person, setup_roster, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roster(db):
    setup_roster()


def write(tmp_path, rows, name="export.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(rows))
    return path


def test_it_imports_and_prints_the_summary(tmp_path):
    out = io.StringIO()
    call_command("import_inspectors", str(write(tmp_path, [person(1), person(2)])), stdout=out)
    assert "导入完成：共 2 行，新增 2" in out.getvalue()
    assert Inspector.objects.count() == 2
    entry = AuditEntry.objects.filter(event="inspectors.inspector.imported").first()
    assert entry.channel == "command" and entry.actor_label == "命令行"


def test_a_dry_run_saves_nothing(tmp_path):
    out = io.StringIO()
    call_command("import_inspectors", str(write(tmp_path, [person(1)])), "--dry-run", stdout=out)
    assert "预检通过（尚未保存）" in out.getvalue()
    assert not Inspector.objects.exists()


def test_it_fails_with_the_row_report_and_saves_nothing(tmp_path):
    out = io.StringIO()
    path = write(tmp_path, [person(1), person(2, 有效期至="2020-01-01")])
    with pytest.raises(CommandError) as error:
        call_command("import_inspectors", str(path), stdout=out)
    assert "1 处错误，未保存任何数据" in str(error.value)
    assert "第 3 行「有效期至」：有效期至早于有效期自" in out.getvalue()
    assert not Inspector.objects.exists()


def test_it_fails_on_a_wrong_file_type(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_inspectors", str(path), stdout=out)
    assert "仅支持 .xlsx 或 .csv" in out.getvalue()


def test_it_fails_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_inspectors", str(tmp_path / "none.xlsx"))


def test_the_exit_status_is_non_zero_on_error(tmp_path):
    # run_from_argv is what manage.py calls: a CommandError becomes exit status 1.
    from django.core.management import load_command_class

    command = load_command_class("inspectors", "import_inspectors")
    path = write(tmp_path, [person(1, 所属部门="不存在")])
    command.stdout = io.StringIO()
    command.stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "import_inspectors", str(path)])
    assert exit_info.value.code == 1
