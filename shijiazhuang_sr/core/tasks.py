"""Project-wide Celery tasks. Tasks are thin: they take ids, call a service, return a summary."""

import os
import socket

from celery import shared_task
from django.core import management


@shared_task(name="core.clear_expired_sessions")
def clear_expired_sessions() -> str:
    management.call_command("clearsessions")
    return "ok"


@shared_task(name="core.ping")
def ping(value: str) -> dict:
    """Echo `value` with the worker's identity: proves that a worker, not the caller, ran it."""
    return {"value": value, "host": socket.gethostname(), "pid": os.getpid()}
