"""The roster's URLs in the authorization matrix (tests/authz.py).

Readers of the roster: every staff role but the auditor. Editors: 综合执法四科 and the system
administrator. The reconciliation is read by editors and 局领导 only.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from inspectors.models import ReconciliationLine, ReconciliationRun
from shijiazhuang_sr.core.models import ImportBatch
from tests.authz import Route, everyone
from tests.factories import DepartmentFactory, SectionFactory
from tests.inspectors.factories import InspectorFactory, TagFactory, add_period
from tests.inspectors.files import person, setup_roster, xlsx

READERS = everyone(200, auditor=403)
EDITORS = {"sysadmin": 200, "section4": 200}
EDITORS_405 = {"sysadmin": 405, "section4": 405}
EDITORS_302 = {"sysadmin": 302, "section4": 302}
RECONCILIATION_READERS = {"sysadmin": 200, "section4": 200, "leader": 200}


def _inspector(users):
    return {"pk": InspectorFactory().pk}


def _department(users):
    return {"pk": DepartmentFactory(name="石家庄市应急管理局").pk}


def _section(users):
    return {"pk": SectionFactory(department=DepartmentFactory(name="石家庄市应急管理局")).pk}


def _tag(users):
    return {"pk": TagFactory().pk}


def _period(users):
    inspector = InspectorFactory()
    return {"pk": add_period(inspector, "on_leave", inspector.card_valid_from).pk}


def _run(users):
    run = ReconciliationRun.objects.create(
        filename="export.xlsx", sha256="0" * 64, export_rows=1, created_by=users["section4"]
    )
    return run


def _run_kwargs(users):
    return {"pk": _run(users).pk}


def _line(users):
    line = ReconciliationLine.objects.create(
        run=_run(users),
        kind=ReconciliationLine.Kind.NOT_IN_EXPORT,
        cert_no="1301002000999",
        name="核对员",
        inspector=InspectorFactory(cert_no="1301002000999"),
    )
    return {"pk": line.pk}


def _bulk_tag_data(users):
    return {"inspectors": [InspectorFactory().pk], "add": [TagFactory().pk]}


def _reconciliation_file(users):
    setup_roster()
    data = xlsx([person(1)])
    return {"file": SimpleUploadedFile("export.xlsx", data)}


def _batch(users):
    setup_roster()
    batch = ImportBatch.objects.create(
        kind="inspectors",
        filename="export.xlsx",
        size=1,
        sha256="0" * 64,
        uploaded_by=users["section4"],
        status=ImportBatch.Status.PREVIEWED,
        report={"title": "执法人员名录库", "filename": "export.xlsx", "dry_run": True},
    )
    batch.file.save("roster-test.xlsx", SimpleUploadedFile("x.xlsx", xlsx([person(1)])))
    return {"pk": batch.pk}


KIND = {"kind_name": "inspectors"}

ROUTES = [
    Route("inspectors:inspector_list", READERS),
    Route("inspectors:inspector_export", READERS),
    Route("inspectors:inspector_import", EDITORS_302),
    Route("inspectors:inspector_create", EDITORS),
    Route("inspectors:inspector_bulk_tag", EDITORS_405, label="get"),
    Route("inspectors:inspector_bulk_tag", EDITORS_302, method="post", data=_bulk_tag_data),
    Route("inspectors:inspector_detail", READERS, setup=_inspector),
    Route("inspectors:inspector_edit", EDITORS, setup=_inspector),
    Route("inspectors:inspector_status", EDITORS, setup=_inspector),
    Route("inspectors:status_period_cancel", EDITORS_405, setup=_period, label="get"),
    Route(
        "inspectors:status_period_cancel",
        EDITORS_302,
        method="post",
        setup=_period,
        data={"reason": "录入错误"},
    ),
    Route("inspectors:department_list", READERS),
    Route("inspectors:department_detail", READERS, setup=_department),
    Route("inspectors:department_create", EDITORS),
    Route("inspectors:department_edit", EDITORS, setup=_department),
    Route("inspectors:section_create", EDITORS, setup=_department),
    Route("inspectors:section_edit", EDITORS, setup=_section),
    Route("inspectors:tag_list", READERS),
    Route("inspectors:tag_create", EDITORS),
    Route("inspectors:tag_edit", EDITORS, setup=_tag),
    Route("inspectors:reconciliation_list", RECONCILIATION_READERS),
    Route("inspectors:reconciliation_create", EDITORS_405, label="get"),
    Route(
        "inspectors:reconciliation_create",
        EDITORS_302,
        method="post",
        data=_reconciliation_file,
    ),
    Route("inspectors:reconciliation_detail", RECONCILIATION_READERS, setup=_run_kwargs),
    Route("inspectors:reconciliation_line_resolve", EDITORS, setup=_line),
    # The generic import pages, with the roster's import kind.
    Route("core:import_start", EDITORS, setup=lambda users: KIND, label="roster"),
    Route("core:import_template", EDITORS, setup=lambda users: KIND, label="roster"),
    Route("core:import_batch", EDITORS, setup=_batch, label="roster"),
    Route("core:import_apply", {"section4": 302}, method="post", setup=_batch, label="roster"),
    Route("core:import_discard", {"section4": 302}, method="post", setup=_batch, label="roster"),
]
