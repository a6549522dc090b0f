import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from shijiazhuang_sr.celery import app
from shijiazhuang_sr.core.queue import enqueue
from shijiazhuang_sr.core.tasks import ping

PROJECT = Path(__file__).resolve().parents[2]


def test_the_app_speaks_json_only_and_has_time_limits():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_the_periodic_schedule_is_defined_once_and_names_real_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


def test_a_task_is_sent_only_after_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue(ping, "after commit")
    assert len(callbacks) == 1  # queued, not yet sent


@pytest.mark.redis
def test_a_task_runs_on_a_real_worker_through_redis():
    if not settings.REDIS_URL:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but REDIS_URL is not set")
        pytest.skip("REDIS_URL not set: tasks run eagerly (the embedded default)")
    queue = f"test-{uuid.uuid4().hex[:8]}"  # a queue of our own: no other worker takes the task
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shijiazhuang_sr",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shijiazhuang_sr.settings"},
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = ping.apply_async(args=["你好"], queue=queue)
        answer = result.get(timeout=90)
    finally:
        app.conf.task_always_eager = previous
        worker.terminate()
        worker.wait(timeout=30)
    assert answer["value"] == "你好"
    assert answer["pid"] == worker.pid  # run by the worker process, not in this one
