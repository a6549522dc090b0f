"""一业一查 joint lists: departments and their items, guidelines with checked attachments."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from checklists import selectors, services
from checklists.models import JointListAttachment
from shijiazhuang_sr.audit.models import AuditEntry
from tests.checklists.factories import (
    BUREAU,
    PDF,
    joint_spec,
    make_attachment,
    make_item,
    make_joint_list,
)
from tests.factories import DepartmentFactory


def test_it_creates_a_joint_list_with_each_departments_items(section4):
    joint_list = make_joint_list(by=section4)
    entries = list(joint_list.entries.select_related("department", "item"))
    assert [entry.department.name for entry in entries] == [BUREAU, "石家庄市市场监督管理局"]
    entry = AuditEntry.objects.get(event="checklists.joint_list.created")
    assert entry.changes["lead_department"] == [None, BUREAU]
    assert len(entry.changes["entries"][1]) == 2


def test_every_department_must_check_something(section4):
    spec = joint_spec()
    fire = DepartmentFactory(name="石家庄市消防救援支队")
    spec.participating_departments.append(fire)
    with pytest.raises(ValidationError) as error:
        services.joint_list_create(by=section4, spec=spec)
    assert (
        "部门「石家庄市消防救援支队」在清单中没有检查事项。" in error.value.message_dict["entries"]
    )


def test_an_item_must_be_checked_by_a_department_of_the_list(section4):
    spec = joint_spec()
    fire = DepartmentFactory(name="石家庄市消防救援支队")
    spec.entries.append((fire, make_item(name="消防设施")))
    with pytest.raises(ValidationError) as error:
        services.joint_list_create(by=section4, spec=spec)
    assert any("不是本清单的牵头或参与部门" in m for m in error.value.message_dict["entries"])


def test_a_joint_list_cannot_name_a_retired_item(section4):
    today = selectors.today()
    spec = joint_spec()
    department = spec.lead_department
    spec.entries.append((department, make_item(name="旧事项", retired_from=today)))
    with pytest.raises(ValidationError) as error:
        services.joint_list_create(by=section4, spec=spec)
    assert any(
        "已于" in m and "不能列入联合抽查清单" in m for m in error.value.message_dict["entries"]
    )


def test_a_joint_needs_another_department_than_the_lead(section4):
    spec = joint_spec()
    spec.participating_departments = [spec.lead_department]
    with pytest.raises(ValidationError) as error:
        services.joint_list_create(by=section4, spec=spec)
    messages = error.value.message_dict["participating_departments"]
    assert "牵头部门不必再选为参与部门。" in messages


def test_changing_a_joint_list_audits_old_and_new(section4):
    joint_list = make_joint_list(by=section4)
    spec = joint_spec(entries=[(e.department, e.item) for e in joint_list.entries.all()])
    spec.guidelines = "每年联合抽查一次。"
    assert services.joint_list_update(by=section4, joint_list=joint_list, spec=spec)
    entry = AuditEntry.objects.get(event="checklists.joint_list.changed")
    assert entry.changes == {"guidelines": ["牵头部门组织，一次上门。", "每年联合抽查一次。"]}
    assert not services.joint_list_update(by=section4, joint_list=joint_list, spec=spec)


def test_retiring_a_joint_list_takes_it_off_the_public_page(section4):
    joint_list = make_joint_list(by=section4)
    today = selectors.today()
    assert joint_list in selectors.active_joint_lists(today)
    services.joint_list_retire(
        by=section4, joint_list=joint_list, retired_from=today, reason="合并"
    )
    assert joint_list not in selectors.active_joint_lists(today)
    entry = AuditEntry.objects.get(event="checklists.joint_list.retired")
    assert entry.data == {"reason": "合并"}
    assert entry.changes["retired_from"] == [None, today.isoformat()]


def test_it_keeps_a_pdf_guideline(section4, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    joint_list = make_joint_list(by=section4)
    attachment = make_attachment(joint_list, by=section4)
    assert attachment.size == len(PDF) and attachment.extension == "pdf"
    assert attachment.file.read() == PDF
    assert AuditEntry.objects.filter(event="checklists.joint_list.attachment_added").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("指引.exe", b"MZ\x90\x00", "不支持的文件类型“.exe”"),
        ("指引.pdf", b"PK\x03\x04 not a pdf", "内容不是该类型的文件"),
        ("指引.docx", b"", "文件是空的"),
    ],
)
def test_it_refuses_a_wrong_file_with_a_clear_message(
    section4, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    joint_list = make_joint_list(by=section4)
    with pytest.raises(ValidationError) as error:
        services.joint_list_attachment_add(
            by=section4,
            joint_list=joint_list,
            title="",
            upload=SimpleUploadedFile(name, content),
        )
    assert message in error.value.message_dict["file"][0]
    assert not JointListAttachment.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_it_refuses_a_file_over_20_mb(section4, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    joint_list = make_joint_list(by=section4)
    big = SimpleUploadedFile("指引.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.joint_list_attachment_add(by=section4, joint_list=joint_list, title="", upload=big)
    assert "超过 20 MB" in error.value.message_dict["file"][0]


def test_removing_an_attachment_is_audited(
    section4, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    attachment = make_attachment(make_joint_list(by=section4), by=section4)
    path = attachment.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.joint_list_attachment_remove(by=section4, attachment=attachment)
    entry = AuditEntry.objects.get(event="checklists.joint_list.attachment_removed")
    assert entry.changes["title"] == ["抽查工作指引", None]
    assert not JointListAttachment.objects.exists()
    assert not Path(path).exists()
