"""factory_boy factories for worker heartbeats."""

import factory
from django.utils import timezone

from operations.models import WorkerHeartbeat, WorkerKind


class WorkerHeartbeatFactory(factory.django.DjangoModelFactory):
    """A live export worker; `last_seen_at=...` or `stopped_at=...` make it silent or stopped."""

    class Meta:
        model = WorkerHeartbeat

    worker_id = factory.Sequence(lambda n: f"worker-{n}")
    kind = WorkerKind.WORKER
    host = "test-host"
    pid = 4242
    started_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.LazyFunction(timezone.now)
