"""The Celery application.

With `REDIS_URL` set, Redis is the broker and result backend and a worker plus beat run beside
the web server. Without it, `CELERY_TASK_ALWAYS_EAGER` makes every task run in-process, so the
embedded default works on a machine with nothing else installed.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shijiazhuang_sr.settings")

app = Celery("shijiazhuang_sr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(
    ["shijiazhuang_sr.core", "shijiazhuang_sr.accounts", "shijiazhuang_sr.audit"]
)
