"""The Dask engine: chunk work on the workers of a Dask cluster, results in order.

The work object (the project spec and reference data) goes to every worker
once, by ``scatter``; each chunk is then one small task that calls the work on
it. At most ``window`` chunks are in flight, so an iterator of millions of rows
never sits on the client at once. Results come back in the chunks' order; a
worker's exception reaches the caller with its own type and message.

``distributed`` is imported when an engine is made, not when ``migrate`` is.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from migrate.errors import MigrateError

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

Item = TypeVar("Item")
Result = TypeVar("Result")

INSTALL_HINT = "the dask engine needs dask[distributed]: pip install 'dask[distributed]'"
CONNECT_TIMEOUT = 30.0  # seconds to wait for a scheduler address to answer


def _call(work: Callable[[Any], Any], item: Any) -> Any:
    """Run on a worker: the scattered work on one chunk."""
    return work(item)


class DaskEngine:
    """Runs chunk work on a Dask cluster: an existing one, or one started here.

    With ``scheduler`` (``tcp://host:8786``) it connects to that cluster;
    without, it starts ``workers`` local worker processes of one thread each.
    ``window`` bounds the chunks in flight (default: twice the workers);
    ``timeout`` is how many seconds a scheduler address has to answer.
    """

    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int = 2,
        window: int | None = None,
        *,
        timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        if window is not None and window < 1:
            raise ValueError(f"window must be at least 1, not {window}")
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.scheduler = scheduler
        self.window = window
        self._cluster: LocalCluster | None = None
        self._client: Client | None = None
        self._client, self._cluster = _connect(scheduler, workers, timeout)

    @property
    def client(self) -> Client:
        """The connected ``distributed.Client`` (an error once closed)."""
        if self._client is None:
            raise MigrateError("the dask engine is closed")
        return self._client

    @property
    def workers(self) -> int:
        """How many workers the scheduler has now."""
        info = self.client.scheduler_info(n_workers=-1)
        return int(info.get("n_workers", len(info["workers"])))

    def map_ordered(
        self, work: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[Result]:
        """``work(item)`` for every item on the workers, yielded in the items' order."""
        client = self.client
        window = self.window or max(2, 2 * self.workers)
        shared = client.scatter(work, broadcast=True, hash=False)
        pending: deque[Future] = deque()
        try:
            chunks = iter(items)
            _fill(client, shared, chunks, pending, window)
            while pending:
                result = _next_result(pending)
                _fill(client, shared, chunks, pending, window)
                yield result
        finally:
            if pending:
                client.cancel(list(pending))
            pending.clear()
            shared.release()

    def close(self) -> None:
        """Close the client and, if this engine started it, the local cluster."""
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _fill(
    client: Client, shared: Future, chunks: Iterator[Any], pending: deque[Future], window: int
) -> None:
    """Submit chunks until ``window`` are in flight or the chunks run out.

    Each chunk goes to the cluster as data of its own (scattered), not inside the
    task: a chunk of 100,000 rows is tens of MiB, too much for the scheduler's graph.
    """
    while len(pending) < window:
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        [data] = client.scatter([chunk], hash=False)
        pending.append(client.submit(_call, shared, data, pure=False))


def _next_result(pending: deque[Future]) -> Any:
    """The first chunk's result, or its worker's exception raised here, its future let go."""
    error = pending[0].exception()  # waits; still pending (so cancelled) if interrupted
    future = pending.popleft()
    if error is None:
        return future.result()
    trace = future.traceback()
    future.release()
    del future
    raise error.with_traceback(trace)


def _connect(
    scheduler: str | None, workers: int, timeout: float
) -> tuple[Client, LocalCluster | None]:
    """A client of the cluster at ``scheduler``, or of a local cluster started here."""
    try:
        import distributed
    except ImportError as missing:  # pragma: no cover - a core dependency
        raise MigrateError(INSTALL_HINT) from missing
    if scheduler is not None:
        return _connect_to(scheduler, timeout), None
    cluster = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": ":0"},  # its health page on any free port
        host="127.0.0.1",
        silence_logs=logging.CRITICAL,  # a failed chunk reaches the caller instead
    )
    try:
        client = distributed.Client(cluster, set_as_default=False)
    except BaseException:
        cluster.close()
        raise
    try:
        client.wait_for_workers(workers)
    except BaseException:
        client.close()
        cluster.close()
        raise
    return client, cluster


def _connect_to(scheduler: str, timeout: float) -> Client:
    """A client of the scheduler at ``scheduler``, once it has a worker."""
    from distributed import Client

    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as failed:
        raise MigrateError(f"dask scheduler {scheduler}: cannot connect ({failed})") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        client.close()
        raise MigrateError(
            f"dask scheduler {scheduler}: no worker joined within {timeout:g} seconds"
        ) from None
    return client
