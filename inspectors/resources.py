"""The roster as a spreadsheet (django-import-export Resource).

The export uses the import's column headers and value spellings, so an exported file can be
edited and imported again; the extra column 当前状态 is ignored by the import.
"""

from import_export import fields, resources, widgets

from inspectors.imports import COLUMNS
from inspectors.models import Inspector, Tag

HEADERS = {column.name: column.header for column in COLUMNS}
ORDER = (*HEADERS, "current_status")


def _field(name: str, **kwargs) -> fields.Field:
    return fields.Field(column_name=HEADERS.get(name, "当前状态"), **kwargs)


class InspectorResource(resources.ModelResource):
    name = _field("name", attribute="name")
    cert_no = _field("cert_no", attribute="cert_no")
    card_type = _field("card_type")
    issuing_authority = _field("issuing_authority", attribute="issuing_authority")
    card_valid_from = _field(
        "card_valid_from", attribute="card_valid_from", widget=widgets.DateWidget("%Y-%m-%d")
    )
    card_valid_to = _field(
        "card_valid_to", attribute="card_valid_to", widget=widgets.DateWidget("%Y-%m-%d")
    )
    department = _field("department")
    section = _field("section")
    category = _field("category")
    field_tags = _field("field_tags")
    expertise_tags = _field("expertise_tags")
    phone = _field("phone", attribute="phone")
    justice_record_id = _field("justice_record_id", attribute="justice_record_id")
    current_status = _field("current_status")

    class Meta:
        model = Inspector
        fields = ORDER
        export_order = ORDER

    def dehydrate_card_type(self, inspector):
        return inspector.get_card_type_display()

    def dehydrate_department(self, inspector):
        return inspector.department.name

    def dehydrate_section(self, inspector):
        return inspector.section.name if inspector.section_id else ""

    def dehydrate_category(self, inspector):
        return inspector.get_category_display()

    def _tags(self, inspector, kind):
        # tags.all() uses the prefetch of the roster list.
        return "、".join(tag.name for tag in inspector.tags.all() if tag.kind == kind)

    def dehydrate_field_tags(self, inspector):
        return self._tags(inspector, Tag.Kind.FIELD)

    def dehydrate_expertise_tags(self, inspector):
        return self._tags(inspector, Tag.Kind.EXPERTISE)

    def dehydrate_current_status(self, inspector):
        status = getattr(inspector, "current_status", None) or inspector.status
        return Inspector.Status(status).label

    def headers(self) -> list[str]:
        return self.get_export_headers()

    def row(self, inspector) -> list:
        return self.export_resource(inspector)
