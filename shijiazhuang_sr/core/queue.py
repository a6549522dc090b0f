from celery.utils import uuid
from django.db import transaction


def enqueue(task, *args, **kwargs) -> str:
    """Send `task` only once the current transaction commits; return its task id.

    A worker must never see an id whose row is not committed yet, and a rolled-back change must
    never leave a task behind. Outside a transaction the task is sent at once. With no broker
    configured the task runs eagerly, in-process, at that point. The id is chosen here, so a
    page can follow the task (AsyncResult) before it is even sent.
    """
    task_id = uuid()
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs, task_id=task_id))
    return task_id
