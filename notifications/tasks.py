"""Background tasks (django-tasks; `manage.py db_worker` runs them under `make run`)."""

from django_tasks import task

from . import delivery


@task()
def deliver(delivery_id: int) -> str:
    """One attempt at one e-mail, digest or webhook; failures re-enqueue with back-off."""
    return delivery.attempt(delivery_id=delivery_id)
