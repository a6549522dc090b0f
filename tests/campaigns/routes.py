"""The register's URLs in the authorization matrix (tests/authz.py).

综合执法四科 edits; 科室负责人, 执法人员 and 局领导 read; 系统管理员 and 安全审计员 get 403.
Recusals: 四科 and 局领导 read them all, an inspector only their own (404 otherwise).
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Recusal
from shijiazhuang_sr.core.models import ImportBatch
from tests.authz import Route
from tests.campaigns.factories import EnterpriseFactory, RecusalFactory, xlsx_file
from tests.factories import DepartmentFactory
from tests.inspectors.factories import InspectorFactory

READERS = {"section4": 200, "chief": 200, "inspector": 200, "leader": 200}
EDITORS = {"section4": 200}
RECUSAL_READERS = {"section4": 200, "inspector": 200, "leader": 200}


def _enterprise(users):
    return {"pk": EnterpriseFactory().pk}


def _recusal(users, **fields):
    values = {"declared_by": users["section4"], "status": Recusal.Status.PENDING} | fields
    return {"pk": RecusalFactory(**values).pk}


def _own_recusal(users):
    inspector = InspectorFactory(user=users["inspector"])
    return _recusal(users, inspector=inspector, declared_by=users["inspector"])


def _approved_recusal(users):
    return _recusal(users, status=Recusal.Status.APPROVED)


def _visit_data(users):
    return {
        "visited_on": dt.date(2025, 1, 2).isoformat(),
        "departments": [DepartmentFactory(name="石家庄市应急管理局").pk],
    }


def _batch(kind, rows):
    def setup(users):
        batch = ImportBatch.objects.create(
            kind=kind,
            filename="file.xlsx",
            size=1,
            sha256="0" * 64,
            uploaded_by=users["section4"],
            status=ImportBatch.Status.PREVIEWED,
            report={"title": kind, "filename": "file.xlsx", "dry_run": True},
        )
        batch.file.save(f"{kind}-test.xlsx", SimpleUploadedFile("x.xlsx", xlsx_file(rows).read()))
        return {"pk": batch.pk}

    return setup


_enterprise_batch = _batch(
    "enterprises",
    [["统一社会信用代码", "企业名称", "所属区县"], ["91440300708461136T", "测试企业", "长安区"]],
)
_grade_batch = _batch("credit-grades", [["统一社会信用代码", "信用等级", "生效日期"]])

ROUTES = [
    Route("campaigns:enterprise_list", READERS),
    Route("campaigns:enterprise_list", READERS, query="q=化工&grade=A", label="search"),
    Route("campaigns:enterprise_create", EDITORS),
    Route("campaigns:enterprise_detail", READERS, setup=_enterprise),
    Route("campaigns:enterprise_edit", EDITORS, setup=_enterprise),
    Route("campaigns:enterprise_grade", EDITORS, setup=_enterprise),
    Route(
        "campaigns:enterprise_grade",
        {"section4": 302},
        method="post",
        setup=_enterprise,
        data={"grade": "C", "effective_date": "2025-01-01", "source": "省平台"},
        label="post",
    ),
    Route("campaigns:enterprise_recusal_create", EDITORS, setup=_enterprise),
    Route("campaigns:enterprise_visit_create", EDITORS, setup=_enterprise),
    Route(
        "campaigns:enterprise_visit_create",
        {"section4": 302},
        method="post",
        setup=_enterprise,
        data=_visit_data,
        label="post",
    ),
    Route("campaigns:recusal_list", RECUSAL_READERS),
    Route("campaigns:recusal_declare", {"inspector": 200}),
    Route(
        "campaigns:recusal_detail",
        {"section4": 200, "leader": 200, "inspector": 404},
        setup=_recusal,
    ),
    Route("campaigns:recusal_detail", RECUSAL_READERS, setup=_own_recusal, label="own"),
    Route("campaigns:recusal_approve", {"section4": 405}, setup=_recusal, label="get"),
    Route("campaigns:recusal_approve", {"section4": 302}, method="post", setup=_recusal),
    Route("campaigns:recusal_reject", {"section4": 405}, setup=_recusal, label="get"),
    Route(
        "campaigns:recusal_reject",
        {"section4": 302},
        method="post",
        setup=_recusal,
        data={"note": "无利害关系"},
    ),
    Route(
        "campaigns:recusal_withdraw",
        RECUSAL_READERS | {"section4": 405, "inspector": 405, "leader": 405},
        setup=_recusal,
        label="get",
    ),
    Route(
        "campaigns:recusal_withdraw",
        {"section4": 302, "leader": 403, "inspector": 404},
        method="post",
        setup=_approved_recusal,
        data={"reason": "关系已消除"},
    ),
    Route(
        "campaigns:recusal_withdraw",
        # A pending recusal: its declarer withdraws it; approvers reject it instead.
        {"section4": 403, "leader": 403, "inspector": 302},
        method="post",
        setup=_own_recusal,
        data={"reason": "填错了"},
        label="own",
    ),
    # The generic import pages with the register's two kinds.
    Route(
        "core:import_start",
        EDITORS,
        setup=lambda users: {"kind_name": "enterprises"},
        label="enterprises",
    ),
    Route(
        "core:import_start",
        EDITORS,
        setup=lambda users: {"kind_name": "credit-grades"},
        label="grades",
    ),
    Route(
        "core:import_template",
        EDITORS,
        setup=lambda users: {"kind_name": "enterprises"},
        label="enterprises",
    ),
    Route(
        "core:import_template",
        EDITORS,
        setup=lambda users: {"kind_name": "credit-grades"},
        label="grades",
    ),
    Route("core:import_batch", EDITORS, setup=_enterprise_batch, label="enterprises"),
    Route("core:import_batch", EDITORS, setup=_grade_batch, label="grades"),
    Route(
        "core:import_apply",
        {"section4": 302},
        method="post",
        setup=_enterprise_batch,
        label="enterprises",
    ),
    Route(
        "core:import_discard", {"section4": 302}, method="post", setup=_grade_batch, label="grades"
    ),
]
