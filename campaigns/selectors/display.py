"""Plans in words: what an adjustment changed, and what an enterprise should prepare.

Read-only helpers shared by the staff pages and the public pages.
"""

from __future__ import annotations

from decimal import Decimal

from campaigns.models import Area, Campaign, CampaignStratum, Enterprise
from checklists.models import CheckItem, JointItemList, SupervisionSector
from checklists.models.items import Method
from inspectors.models import Department, Tag

FIELD_LABELS = {
    "title": "任务名称",
    "kind": "抽查方式",
    "lead_department": "牵头部门",
    "participating_departments": "参与部门",
    "joint_list": "联合抽查清单",
    "items": "抽查事项",
    "scope_sectors": "行业领域",
    "scope_areas": "区县",
    "scope_grades": "信用风险等级",
    "scope_key_supervision": "重点监管企业",
    "scope_scales": "企业规模",
    "stratification": "分层方式",
    "strata": "抽取分层",
    "slots": "检查组席位",
    "inspector_cap": "每名执法人员任务上限",
    "lookback_months": "轮换回避期（月）",
    "annual_cap": "每户年度检查上限",
    "starts_on": "检查开始日期",
    "ends_on": "检查结束日期",
    "alternates": "每层备选户数",
    "external_randomness": "外部公开随机数来源",
    "notes": "工作要求",
}
CHOICES = {
    "kind": dict(Campaign.Kind.choices),
    "scope_key_supervision": dict(Campaign.KeySupervision.choices),
    "stratification": dict(Campaign.Stratification.choices),
    "scope_scales": dict(Enterprise.Scale.choices),
}
REFERENCES = {
    "lead_department": Department,
    "participating_departments": Department,
    "joint_list": JointItemList,
    "items": CheckItem,
    "scope_sectors": SupervisionSector,
    "scope_areas": Area,
}
EMPTY = "（无）"


def grade_label(grade: str) -> str:
    return CampaignStratum(grade=grade).label


def stratum_text(stratum: dict) -> str:
    ratio = stratum.get("ratio")
    row = CampaignStratum(
        grade=stratum.get("grade") or "",
        is_key=bool(stratum.get("is_key")),
        ratio=None if ratio is None else Decimal(str(ratio)),
        fixed_count=stratum.get("fixed_count"),
    )
    return f"{row.label} {row.rule_text}"


def describe_changes(changes: dict) -> list[dict]:
    """An adjustment's `changes` ({field: [old, new]} as the services store them: ids for
    references) as labelled, readable values, in the form's order."""
    wanted: dict = {}
    for name, values in changes.items():
        model = REFERENCES.get(name)
        if model is not None:
            for value in values:
                ids = value if isinstance(value, list) else [value]
                wanted.setdefault(model, set()).update(pk for pk in ids if pk is not None)
    for slot_pair in changes.get("slots") or []:
        for slot in slot_pair or []:
            if slot.get("department"):
                wanted.setdefault(Department, set()).add(slot["department"])
            if slot.get("tag"):
                wanted.setdefault(Tag, set()).add(slot["tag"])
    found = {model: model.objects.in_bulk(list(pks)) for model, pks in wanted.items()}

    def name_of(model, pk) -> str:
        obj = found.get(model, {}).get(pk)
        if obj is None:
            return f"#{pk}"
        if isinstance(obj, CheckItem):
            return f"{obj.code} {obj.name}"
        return getattr(obj, "name", str(obj))

    def readable(name, value) -> str:
        if value in (None, "", []):
            return EMPTY
        if name in REFERENCES:
            ids = value if isinstance(value, list) else [value]
            return "、".join(name_of(REFERENCES[name], pk) for pk in ids)
        if name == "scope_grades":
            return "、".join(grade_label(grade) for grade in value)
        if name in CHOICES:
            labels = CHOICES[name]
            values = value if isinstance(value, list) else [value]
            return "、".join(labels.get(v, str(v)) for v in values)
        if name == "strata":
            return "；".join(stratum_text(stratum) for stratum in value)
        if name == "slots":
            parts = []
            for slot in value:
                who = name_of(Department, slot["department"]) if slot["department"] else "任一部门"
                if slot.get("tag"):
                    who += " · " + name_of(Tag, slot["tag"])
                parts.append(who)
            return "；".join(parts)
        return str(value)

    return [
        {
            "name": name,
            "label": FIELD_LABELS.get(name, name),
            "before": readable(name, changes[name][0]),
            "after": readable(name, changes[name][1]),
        }
        for name in FIELD_LABELS
        if name in changes
    ]


# --- the 双清单 notice ---------------------------------------------------------------------------

ALWAYS = [
    "营业执照（副本）",
    "安全生产责任制和安全生产规章制度、操作规程",
    "主要负责人、安全生产管理人员安全生产知识和管理能力考核合格证明",
    "从业人员安全生产教育和培训记录",
    "事故隐患排查治理记录（近一年）",
]
# (words in an item's name, sub-items or legal basis) → documents; in this order.
BY_CONTENT = [
    (("许可", "经营许可", "安全生产许可"), "安全生产许可证或危险化学品经营（使用）许可证"),
    (("危险化学品", "危化品"), "危险化学品登记证、化学品安全技术说明书和安全标签"),
    (("重大危险源",), "重大危险源辨识、评估和备案资料，监测监控记录"),
    (("特种作业", "持证上岗"), "特种作业人员操作证"),
    (("特种设备", "压力容器", "起重", "电梯", "锅炉"), "特种设备使用登记证、定期检验报告"),
    (("应急预案", "应急救援", "演练"), "生产安全事故应急预案、备案回执和演练记录"),
    (("消防",), "消防设施检测维护保养记录"),
    (("职业病", "职业健康", "职业危害"), "职业病危害因素检测报告、劳动者职业健康检查资料"),
    (("粉尘",), "粉尘清理制度和清扫记录、除尘系统检查记录"),
    (("有限空间",), "有限空间作业审批记录和台账"),
    (("液氨", "涉氨"), "涉氨制冷系统设计、检验和检测资料"),
    (("动火", "特殊作业"), "特殊作业（动火、受限空间等）许可票证"),
    (("标准化",), "安全生产标准化自评或评审资料"),
    (("安全评价", "评价报告"), "安全评价报告及整改落实情况"),
    (("储存", "仓库", "仓储"), "储存场所台账和出入库记录"),
    (("烟花爆竹",), "烟花爆竹经营（批发）许可证和流向登记记录"),
    (("尾矿库", "矿山", "采掘"), "采矿许可证、安全设施设计审查和竣工验收资料"),
    (("责任保险",), "安全生产责任保险投保凭证"),
]
BY_METHOD = {
    Method.SAMPLING: "抽样检测所需的产品、样品及出厂检验资料",
    Method.THIRD_PARTY: "委托检测、检验机构出具的报告",
    Method.ONLINE: "在线监测监控系统的运行和报警处置记录",
}


def documents_to_prepare(items) -> list[str]:
    """The documents an enterprise should have ready for a check of `items` (with their
    sub-items and legal bases prefetched): a fixed core, plus what the items' content and
    methods call for."""
    texts, methods = [], set()
    for item in items:
        texts.append(item.name)
        texts += [sub.content for sub in item.sub_items.all()]
        texts += [f"{basis.title}{basis.excerpt}" for basis in item.legal_bases.all()]
        methods.update(item.methods or [])
    text = "\n".join(texts)
    documents = list(ALWAYS)
    for words, document in BY_CONTENT:
        if any(word in text for word in words) and document not in documents:
            documents.append(document)
    for method, document in BY_METHOD.items():
        if method in methods:
            documents.append(document)
    if Method.DOCUMENT in methods:
        documents.append("与上述检查事项有关的其他书面材料（原件备查）")
    return documents
