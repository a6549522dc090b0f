from django.db import transaction


def enqueue(task, *args, **kwargs) -> None:
    """Send `task` only once the current transaction commits.

    A worker must never see an id whose row is not committed yet, and a rolled-back change must
    never leave a task behind. Outside a transaction the task is sent at once. With no broker
    configured the task runs eagerly, in-process, at that point.
    """
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
