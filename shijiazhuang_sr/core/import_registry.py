"""The imports offered in the web interface: kind → importer class, permission, page texts.

Apps add one entry each. The same importer classes back the management commands.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ImportKind:
    importer: str  # dotted path of a TabularImport subclass
    permission: str  # needed to upload, preview and confirm
    back_url: str  # URL name of the list the import feeds
    help_text: str = ""

    def make(self):
        return import_string(self.importer)()


IMPORT_KINDS: dict[str, ImportKind] = {
    "inspectors": ImportKind(
        importer="inspectors.imports.InspectorImport",
        permission="inspectors.change_inspector",
        back_url="inspectors:inspector_list",
        help_text=(
            "市司法局执法人员数据库的导出文件。按执法证号更新已有人员、新增其余人员"
            "（新增人员自证件有效期起始日起为在岗，起始日晚于今天的自今天起）；"
            "可选列留空的保持名录库原值；执法领域、执法专长多个标签用逗号或顿号分隔。"
        ),
    ),
    "items": ImportKind(
        importer="checklists.imports.CheckItemImport",
        permission="checklists.change_checkitem",
        back_url="checklists:item_list",
        help_text=(
            "每行一个抽查事项，按“事项编码”匹配：新编码为新增，已有编码则生成新版本，"
            "须填写“修订原因”；已停用的事项不能通过导入修改。"
            "“检查内容及要求”一格内每行一条，可带“1.”“2、”等序号。"
            "“检查依据”一格内每行一条，格式为“类别｜法律法规或标准名称｜条款｜条文摘录”，"
            "类别为法律、行政法规、地方性法规、部门规章、地方政府规章、国家标准、行业标准、"
            "地方标准、规范性文件之一。“检查方式”“适用行业领域”多个时用“、”分隔，"
            "行业领域留空表示适用于全部领域。“责任科室”填本局科室名称，"
            "其他部门的科室写作“部门名称/科室名称”。导出的清单可修改后直接导入；"
            "“状态”“停用日期”“停用原因”“当前版本”列仅供查看，导入时忽略。"
        ),
    ),
    "enterprises": ImportKind(
        importer="campaigns.imports.register.EnterpriseImport",
        permission="campaigns.change_enterprise",
        back_url="campaigns:enterprise_list",
        help_text=(
            "每行一家企业，按统一社会信用代码匹配：已有的更新，其余新增。"
            "可选列留空的保持名录库原值。“所属区县”填区县名称或 6 位区划代码（含高新区、"
            "循环化工园区）；“监管行业领域”“负责科室”多个时用“、”分隔；"
            "“信用等级”填 A、B、C、D，“等级生效日期”留空按今天；“重点监管”填是或否，"
            "为“是”时须填写重点监管原因。"
        ),
    ),
    "credit-grades": ImportKind(
        importer="campaigns.imports.register.CreditGradeImport",
        permission="campaigns.add_creditgradechange",
        back_url="campaigns:enterprise_list",
        help_text=(
            "省平台每月的企业信用风险分类结果：统一社会信用代码、信用等级（A 低风险、B 一般风险、"
            "C 较高风险、D 高风险）、生效日期。等级与现有等级相同的行不作改动；"
            "企业须已在检查对象名录库中；生效日期不能晚于今天，也不能早于现有等级的生效日期。"
        ),
    ),
}


def get_kind(kind: str) -> ImportKind | None:
    return IMPORT_KINDS.get(kind)
