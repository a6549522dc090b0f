"""An item's content as one value, and its readable document.

`ItemSpec` is what forms, the import, a request's approval and the demo data hand to the
services: every field of an item with its sub-items and legal basis. `item_document` is the
readable JSON of an item (labels, names, ISO dates) that versions keep and audit entries diff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from checklists.models import LegalBasisKind, method_labels

# The keys of an item document in display order, with their labels (version history, audit).
DOCUMENT_LABELS = {
    "code": "事项编码",
    "name": "事项名称",
    "category": "事项类别",
    "methods": "检查方式",
    "responsible_section": "责任科室",
    "sectors": "适用行业领域",
    "ratio_percent": "建议抽查比例（%）",
    "frequency_per_year": "建议抽查频次（次/年）",
    "frequency_note": "比例和频次说明",
    "annual_cap": "每家企业年度检查上限（次）",
    "required_expertise": "执法专长要求",
    "effective_from": "生效日期",
    "retired_from": "停用日期",
    "retire_reason": "停用原因",
    "sub_items": "检查内容及要求",
    "legal_bases": "检查依据",
}

# Fields an ItemSpec sets directly on the model (the rest: sectors and the two child lists).
SCALAR_FIELDS = (
    "code",
    "name",
    "category",
    "methods",
    "responsible_section",
    "ratio_percent",
    "frequency_per_year",
    "frequency_note",
    "annual_cap",
    "required_expertise",
    "effective_from",
)


def one_line(text: str) -> str:
    """Collapse line breaks and runs of spaces: a sub-item or a legal-basis field is one line
    (the spreadsheet layout puts one per line in a cell)."""
    return " ".join((text or "").split())


@dataclass(frozen=True)
class LegalBasisSpec:
    kind: str
    title: str
    article: str = ""
    excerpt: str = ""

    def label(self) -> str:
        return f"{LegalBasisKind(self.kind).label}｜{self.title}｜{self.article}｜{self.excerpt}"

    def normalized(self) -> LegalBasisSpec:
        return LegalBasisSpec(
            self.kind, one_line(self.title), one_line(self.article), one_line(self.excerpt)
        )


@dataclass
class ItemSpec:
    code: str
    name: str
    category: str
    methods: list[str]
    responsible_section: object  # inspectors.Section
    effective_from: dt.date | None = None
    sectors: list = field(default_factory=list)  # SupervisionSector
    ratio_percent: Decimal | None = None
    frequency_per_year: int | None = None
    frequency_note: str = ""
    annual_cap: int | None = None
    required_expertise: object = None  # inspectors.Tag of kind expertise
    sub_items: list[str] = field(default_factory=list)
    legal_bases: list[LegalBasisSpec] = field(default_factory=list)

    def normalize(self) -> None:
        """Tidy the free text the way it is stored (see `one_line`)."""
        self.code = (self.code or "").strip()
        self.name = (self.name or "").strip()
        self.frequency_note = (self.frequency_note or "").strip()
        self.sub_items = [one_line(text) for text in self.sub_items]
        self.legal_bases = [basis.normalized() for basis in self.legal_bases]

    def check_lists(self) -> None:
        """The rules on the two lists that no model field can hold."""
        errors = {}
        sub_items = [one_line(text) for text in self.sub_items]
        if not any(sub_items):
            errors["sub_items"] = "请至少填写一条检查内容及要求。"
        elif not all(sub_items):
            errors["sub_items"] = "检查内容及要求不能有空行。"
        elif any(len(text) > 1000 for text in sub_items):
            errors["sub_items"] = "每条检查内容及要求不能超过 1000 个字。"
        if not self.legal_bases:
            errors["legal_bases"] = "请至少填写一条检查依据（法律、法规、规章或标准条款）。"
        else:
            for number, basis in enumerate(self.legal_bases, start=1):
                if basis.kind not in LegalBasisKind.values:
                    errors["legal_bases"] = f"第 {number} 条检查依据的类别无效。"
                elif not basis.title.strip():
                    errors["legal_bases"] = f"第 {number} 条检查依据缺少法律法规或标准名称。"
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_item(cls, item) -> ItemSpec:
        """The spec of a saved item or request (its own fields, sectors and lists)."""
        return cls(
            code=getattr(item, "code", ""),
            name=item.name,
            category=item.category,
            methods=list(item.methods),
            responsible_section=getattr(item, "responsible_section", None)
            or getattr(item, "section", None),
            effective_from=getattr(item, "effective_from", None),
            sectors=list(item.sectors.all()),
            ratio_percent=item.ratio_percent,
            frequency_per_year=item.frequency_per_year,
            frequency_note=item.frequency_note,
            annual_cap=item.annual_cap,
            required_expertise=item.required_expertise,
            sub_items=[sub.content for sub in item.sub_items.all()],
            legal_bases=[
                LegalBasisSpec(basis.kind, basis.title, basis.article, basis.excerpt)
                for basis in item.legal_bases.all()
            ],
        )


def _text(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def item_document(item) -> dict:
    """The item as its version history shows it: readable values, keyed as DOCUMENT_LABELS."""
    return {
        "code": item.code,
        "name": item.name,
        "category": item.get_category_display(),
        "methods": method_labels(item.methods),
        "responsible_section": str(item.responsible_section),
        "sectors": [sector.name for sector in item.sectors.all()],
        "ratio_percent": _text(item.ratio_percent),
        "frequency_per_year": item.frequency_per_year,
        "frequency_note": item.frequency_note,
        "annual_cap": item.annual_cap,
        "required_expertise": str(item.required_expertise) if item.required_expertise_id else None,
        "effective_from": _text(item.effective_from),
        "retired_from": _text(item.retired_from),
        "retire_reason": item.retire_reason,
        "sub_items": [sub.content for sub in item.sub_items.all()],
        "legal_bases": [
            {
                "kind": basis.get_kind_display(),
                "title": basis.title,
                "article": basis.article,
                "excerpt": basis.excerpt,
            }
            for basis in item.legal_bases.all()
        ],
    }


def spec_document(spec: ItemSpec) -> dict:
    """What `item_document` will say once `spec` is saved (without the retirement fields)."""
    from checklists.models import CheckItem

    spec.normalize()
    sectors = sorted(spec.sectors, key=lambda sector: (sector.sort_order, sector.name))
    return {
        "code": spec.code,
        "name": spec.name,
        "category": CheckItem.Category(spec.category).label
        if spec.category in CheckItem.Category.values
        else spec.category,
        "methods": method_labels(spec.methods),
        "responsible_section": str(spec.responsible_section),
        "sectors": [sector.name for sector in sectors],
        "ratio_percent": _text(spec.ratio_percent),
        "frequency_per_year": spec.frequency_per_year,
        "frequency_note": spec.frequency_note,
        "annual_cap": spec.annual_cap,
        "required_expertise": str(spec.required_expertise) if spec.required_expertise else None,
        "effective_from": _text(spec.effective_from),
        "sub_items": list(spec.sub_items),
        "legal_bases": [
            {
                "kind": LegalBasisKind(basis.kind).label,
                "title": basis.title,
                "article": basis.article,
                "excerpt": basis.excerpt,
            }
            for basis in spec.legal_bases
        ],
    }
