"""The item list's URLs in the authorization matrix (tests/authz.py), and the public pages.

Readers of the list: 综合执法四科, 科室负责人, 执法人员, 局领导 (not the system administrator
or the auditor). Editors and deciders: 综合执法四科. Requests: proposed by 科室负责人, read by
them (own section), 综合执法四科 and 局领导. The public pages need no login.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from checklists import selectors
from tests.authz import PERSONAS, Route
from tests.checklists.factories import (
    PDF,
    make_attachment,
    make_item,
    make_joint_list,
    make_request,
)

READERS = {"section4": 200, "chief": 200, "inspector": 200, "leader": 200}
REQUEST_READERS = {"section4": 200, "chief": 200, "leader": 200}
PUBLIC = dict.fromkeys(PERSONAS, 200)


def _item(users):
    return {"pk": make_item(by=users["section4"]).pk}


def _version(users):
    return {"pk": make_item(by=users["section4"]).pk, "number": 1}


def _request(users):
    return {"pk": make_request(users["chief"]).pk}


def _joint_list(users):
    return {"pk": make_joint_list(by=users["section4"]).pk}


def _attachment(users):
    joint_list = make_joint_list(by=users["section4"])
    return {"pk": make_attachment(joint_list, by=users["section4"]).pk}


def _sector(users):
    from tests.checklists.factories import SupervisionSectorFactory

    return {"pk": SupervisionSectorFactory(name="粉尘涉爆").pk}


def _retire_data(users):
    return {"retired_from": selectors.today().isoformat(), "reason": "法规废止"}


def _upload(users):
    return {"title": "指引", "file": SimpleUploadedFile("指引.pdf", PDF)}


ROUTES = [
    Route("checklists:item_list", READERS),
    Route("checklists:item_export", READERS),
    Route("checklists:item_create", {"section4": 200}),
    Route("checklists:item_detail", READERS, setup=_item),
    Route("checklists:item_edit", {"section4": 200}, setup=_item),
    Route("checklists:item_retire", {"section4": 200}, setup=_item),
    Route(
        "checklists:item_retire",
        {"section4": 302},
        method="post",
        setup=_item,
        data=_retire_data,
        label="post",
    ),
    Route("checklists:item_version", READERS, setup=_version),
    Route("checklists:request_list", REQUEST_READERS),
    Route("checklists:request_create", {"chief": 200}),
    Route("checklists:request_detail", REQUEST_READERS, setup=_request),
    Route("checklists:request_approve", {"section4": 405}, setup=_request, label="get"),
    Route(
        "checklists:request_approve",
        {"section4": 302},
        method="post",
        setup=_request,
        data=lambda users: {"code": "HB-NEW-1", "effective_from": "2025-01-01", "note": ""},
    ),
    Route("checklists:request_reject", {"section4": 405}, setup=_request, label="get"),
    Route(
        "checklists:request_reject",
        {"section4": 302},
        method="post",
        setup=_request,
        data={"reason": "已有同类事项"},
    ),
    Route("checklists:request_withdraw", {"chief": 405}, setup=_request, label="get"),
    Route("checklists:request_withdraw", {"chief": 302}, method="post", setup=_request),
    Route("checklists:joint_list_list", READERS),
    Route("checklists:joint_list_detail", READERS, setup=_joint_list),
    Route("checklists:joint_list_create", {"section4": 200}),
    Route("checklists:joint_list_edit", {"section4": 200}, setup=_joint_list),
    Route("checklists:joint_list_retire", {"section4": 405}, setup=_joint_list, label="get"),
    Route(
        "checklists:joint_list_retire",
        {"section4": 302},
        method="post",
        setup=_joint_list,
        data=_retire_data,
    ),
    Route(
        "checklists:joint_list_attachment_add", {"section4": 405}, setup=_joint_list, label="get"
    ),
    Route(
        "checklists:joint_list_attachment_add",
        {"section4": 302},
        method="post",
        setup=_joint_list,
        data=_upload,
    ),
    Route("checklists:joint_list_attachment", READERS, setup=_attachment),
    Route(
        "checklists:joint_list_attachment_remove",
        {"section4": 405},
        setup=_attachment,
        label="get",
    ),
    Route(
        "checklists:joint_list_attachment_remove",
        {"section4": 302},
        method="post",
        setup=_attachment,
    ),
    Route("checklists:sector_list", READERS),
    Route("checklists:sector_edit", {"section4": 200}, setup=_sector),
    # The generic import pages, for the item list's import kind.
    Route(
        "core:import_start",
        {"section4": 200},
        setup=lambda users: {"kind_name": "items"},
        label="items",
    ),
    Route(
        "core:import_template",
        {"section4": 200},
        setup=lambda users: {"kind_name": "items"},
        label="items",
    ),
    # The public pages: no login, the same for everyone.
    Route("publicity:item_list", PUBLIC),
    Route("publicity:item_detail", PUBLIC, setup=_item),
    Route("publicity:joint_list_detail", PUBLIC, setup=_joint_list),
    Route("publicity:joint_list_attachment", PUBLIC, setup=_attachment),
]
