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


IMPORT_KINDS: dict[str, ImportKind] = {}


def get_kind(kind: str) -> ImportKind | None:
    return IMPORT_KINDS.get(kind)
