"""`import_enterprises` and `import_credit_grades`: the same imports from the command line."""

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import CreditGradeChange, Enterprise
from shijiazhuang_sr.audit.models import AuditEntry
from tests.campaigns.factories import EnterpriseFactory, csv_file, new_uscc, xlsx_file

pytestmark = pytest.mark.django_db


def _write(tmp_path, name, stream):
    path = tmp_path / name
    path.write_bytes(stream.getvalue())
    return path


def _enterprises_file(tmp_path, *codes):
    rows = [["统一社会信用代码", "企业名称", "所属区县", "信用等级", "等级生效日期"]]
    rows += [
        [code, f"石家庄企业{n}有限公司", "长安区", "A", "2025-01-01"]
        for n, code in enumerate(codes)
    ]
    return _write(tmp_path, "名录.xlsx", xlsx_file(rows))


def test_import_enterprises_saves_the_file_and_reports(tmp_path, capsys):
    path = _enterprises_file(tmp_path, new_uscc(), new_uscc())
    call_command("import_enterprises", str(path))
    assert "导入完成：共 2 行，新增 2，更新 0，无变化 0" in capsys.readouterr().out
    assert Enterprise.objects.count() == 2
    assert CreditGradeChange.objects.count() == 2
    entry = AuditEntry.objects.filter(event="campaigns.enterprise.imported").first()
    assert entry.channel == "command"


def test_import_enterprises_dry_run_saves_nothing(tmp_path, capsys):
    call_command("import_enterprises", str(_enterprises_file(tmp_path, new_uscc())), "--dry-run")
    assert "预检通过（尚未保存）" in capsys.readouterr().out
    assert not Enterprise.objects.exists()


def test_import_enterprises_fails_on_a_bad_row(tmp_path, capsys):
    path = _enterprises_file(tmp_path, new_uscc(), "91440300708461136A")
    with pytest.raises(CommandError, match="1 处错误，未保存任何数据"):
        call_command("import_enterprises", str(path))
    assert "第 3 行「统一社会信用代码」" in capsys.readouterr().out
    assert not Enterprise.objects.exists()


def test_import_enterprises_needs_an_existing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_enterprises", str(tmp_path / "none.xlsx"))


def test_import_credit_grades_changes_grades(tmp_path, capsys):
    enterprise = EnterpriseFactory()
    path = _write(
        tmp_path,
        "grades.csv",
        csv_file(
            [["统一社会信用代码", "信用等级", "生效日期"], [enterprise.uscc, "C", "2025-06-01"]]
        ),
    )
    call_command("import_credit_grades", str(path))
    assert "更新 1" in capsys.readouterr().out
    enterprise.refresh_from_db()
    assert enterprise.credit_grade == "C"


def test_import_credit_grades_refuses_unknown_enterprises(tmp_path, capsys):
    path = _write(
        tmp_path,
        "grades.xlsx",
        xlsx_file([["统一社会信用代码", "信用等级", "生效日期"], [new_uscc(), "C", "2025-06-01"]]),
    )
    with pytest.raises(CommandError):
        call_command("import_credit_grades", str(path), "--dry-run")
    assert "名录库中没有该企业" in capsys.readouterr().out
