"""清单之外无检查: nothing off the published item list may be checked.

`require_active_items(items_or_codes, on=D)` is the one check every later feature calls before
it ties items to something dated: a campaign's items (on its start date), an inspection
record's items (on the day of the inspection), a joint list's entries. It returns the items,
or raises one ValidationError naming every item that is unknown, retired or not yet in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from checklists.models import CheckItem


def _describe(item: CheckItem, on: dt.date, purpose: str) -> str | None:
    if item.effective_from > on:
        return (
            f"抽查事项「{item.name}」（{item.code}）自{item.effective_from:%Y-%m-%d}起生效，"
            f"{on:%Y-%m-%d}尚未生效，不能列入{purpose}"
        )
    if item.retired_from is not None and item.retired_from <= on:
        return f"抽查事项「{item.name}」已于{item.retired_from:%Y-%m-%d}停用，不能列入{purpose}"
    return None


def require_active_items(
    items_or_codes: Iterable[CheckItem | str | int],
    on: dt.date,
    *,
    purpose: str = "抽查任务",
) -> list[CheckItem]:
    """The items, in the order given, if every one of them is active on `on`.

    Accepts CheckItem instances, item codes (str) or primary keys (int), mixed. Instances are
    re-read from the database, so a stale object cannot slip a retired item through.
    `purpose` finishes the message: "不能列入抽查任务" / "不能列入检查记录".
    """
    wanted = list(items_or_codes)
    if not wanted:
        raise ValidationError(f"请至少选择一项抽查事项，{purpose}只能检查抽查事项清单中的事项。")
    pks = {entry.pk for entry in wanted if isinstance(entry, CheckItem)}
    pks |= {entry for entry in wanted if isinstance(entry, int) and not isinstance(entry, bool)}
    codes = {entry.strip() for entry in wanted if isinstance(entry, str)}
    found = CheckItem.objects.filter(pk__in=pks) | CheckItem.objects.filter(code__in=codes)
    by_pk = {item.pk: item for item in found}
    by_code = {item.code: item for item in by_pk.values()}

    errors, result, seen = [], [], set()
    for entry in wanted:
        if isinstance(entry, CheckItem):
            item = by_pk.get(entry.pk)
            shown = entry.code
        elif isinstance(entry, str):
            item = by_code.get(entry.strip())
            shown = entry.strip()
        else:
            item = by_pk.get(entry)
            shown = None
        if item is None:
            errors.append(
                f"抽查事项编码「{shown}」不在抽查事项清单中"
                if shown is not None
                else f"抽查事项（ID {entry}）不在抽查事项清单中"
            )
            continue
        problem = _describe(item, on, purpose)
        if problem:
            errors.append(problem)
        elif item.pk not in seen:
            seen.add(item.pk)
            result.append(item)
    if errors:
        raise ValidationError(errors)
    return result
