"""The Celery application. Without REDIS_URL, settings make every task run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prfaq.settings")

app = Celery("prfaq")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
