"""The roster import through the generic pages: upload → preview (with errors) → confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspectors.models import Inspector
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.core.models import ImportBatch
from tests.inspectors.files import person, setup_roster, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roster(db):
    setup_roster()


def upload(client, rows, name="司法局导出.xlsx"):
    return client.post("/imports/inspectors/", {"file": SimpleUploadedFile(name, xlsx(rows))})


def test_a_file_with_errors_is_previewed_with_them_and_cannot_be_confirmed(section4, client_for):
    client = client_for(section4)
    response = upload(client, [person(1), person(2, 执法证号=""), person(3, 所属科室="无此科")])
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/batch/{batch.pk}/"
    assert batch.status == ImportBatch.Status.REJECTED
    html = client.get(response["Location"]).content.decode()
    assert "3 行中有 2 处错误" in html
    assert "第 3 行" in html and "不能为空" in html
    assert "第 4 行" in html and "科室不存在" in html
    assert "确认导入" not in html
    assert client.post(f"/imports/batch/{batch.pk}/apply/").status_code == 302
    assert not Inspector.objects.exists()


def test_a_corrected_file_is_previewed_then_imported(section4, client_for):
    client = client_for(section4)
    upload(client, [person(1), person(2, 所属科室="无此科")])
    response = upload(client, [person(1), person(2)])
    batch = ImportBatch.objects.get(status=ImportBatch.Status.PREVIEWED)
    html = client.get(response["Location"]).content.decode()
    assert "预检通过（尚未保存）" in html and "确认导入" in html
    assert not Inspector.objects.exists()  # a preview saves nothing
    response = client.post(f"/imports/batch/{batch.pk}/apply/")
    assert response["Location"] == "/roster/"
    assert Inspector.objects.count() == 2
    assert AuditEntry.objects.filter(event="inspectors.inspector.imported").count() == 2
    assert AuditEntry.objects.filter(event="core.import.inspectors.applied").exists()


def test_readers_cannot_import(inspector_user, client_for):
    client = client_for(inspector_user)
    assert client.get("/imports/inspectors/").status_code == 403
    assert upload(client, [person(1)]).status_code == 403
