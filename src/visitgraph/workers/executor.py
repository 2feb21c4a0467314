"""Run strangers' SPARQL in worker processes that can be stopped: time budgets that really stop.

pyoxigraph has no query timeout or cancellation, so each query runs in a query-worker
process (a child of the one killable pool, :mod:`visitgraph.workers.pool`) that opens the published
generation read-only; a query past its budget is stopped by killing its worker, which is replaced.
Around the pool: a bound on
running + waiting queries (503 with Retry-After), a per-client budget of query seconds per
minute (429), a result cache keyed by generation (so a publish invalidates it), and the SSRF
guard. The public entry point is :func:`execute`.

Longer than 400 lines because admission (young and long queries), client budgets, the cache, cancelling and the worker's side share one lock and one job format.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from visitgraph.core.bounded import DEFAULT_MAX_DEPTH
from visitgraph.core.errors import BadParameter, BadQuery, LimitExceeded, QueryTimeout, StoreError, VisitgraphError
from visitgraph.core.formats import Format, get_format
from visitgraph.sparql.analysis import Analysed
from visitgraph.sparql.answers import Answer, serialize_capped
from visitgraph.sparql.engine import Dataset, Queryable, run_query
from visitgraph.sparql.querylimits import ClientBudget, Reservation, ResultCache, check_depth
from visitgraph.store.backend import Reader
from visitgraph.workers.pool import Child, ChildGone, ChildTimeout, Handler, Pool, serve
from visitgraph.workers.validation_job import VALIDATE, answer_validation

if TYPE_CHECKING:
    from visitgraph.store.embedded import Generation

Term = ox.NamedNode | ox.Literal | ox.BlankNode
#: A query running longer than this is "long": it no longer holds one of the `query_workers`
#: slots, so short queries keep flowing while long ones run out their budget (bounded in total
#: by `query_workers + max_queue`).
LONG_QUERY_S = 0.25
#: Most seconds a new query worker may take to start (import, open nothing yet, confine itself).
WORKER_START_S = 60.0
#: How often a spare worker's start is tried after the OS refused it, and the pause unit between tries.
SPARE_TRIES = 3
SPARE_PAUSE_S = 0.5

log = logging.getLogger("visitgraph.workers")


# -- the worker process ----------------------------------------------------------------

#: A job on the wire: (generation path, sparql, format name, default graphs, named graphs,
#: substitutions, base IRI, max rows).
Job = tuple[str, str, str, tuple[str, ...], tuple[str, ...], dict[str, Any], str, int]


def _answer_job(store: Queryable, job: Job) -> tuple[bytes, str, str, int, bool]:
    _, sparql, fmt_name, default_graphs, named_graphs, subs, base_iri, max_rows = job
    result = run_query(
        store, sparql, dataset=Dataset(default_graphs, named_graphs), substitutions=subs or None, base_iri=base_iri
    )
    body, fmt, form, rows, truncated = serialize_capped(result, get_format(fmt_name), max_rows)
    return body, fmt.name, form, rows, truncated


def _handler(args: Sequence[str]) -> Handler:
    """The query worker's side (:func:`visitgraph.workers.pool.serve`): answer queries and validation jobs.

    `args`: the memory ceiling in MiB (for the message when a query needs more).
    """
    memory_mb = int(args[0]) if args else 0
    opened: tuple[str, ox.Store] | None = None

    def answer(job: tuple[Any, ...]) -> tuple[Any, bytes]:
        nonlocal opened
        try:
            if job[0] == VALIDATE:
                return ("ok", answer_validation(job)), b""
            if opened is None or opened[0] != job[0]:
                opened = None
                opened = (job[0], ox.Store.read_only(job[0]))
            body, fmt_name, form, rows, truncated = _answer_job(opened[1], job)
            return ("ok", (fmt_name, form, rows, truncated)), body
        except BadQuery as e:
            return ("bad", (e.message, e.line, e.column)), b""
        except VisitgraphError as e:
            return ("error", (e.status, e.message)), b""
        except MemoryError:
            message = (
                f"The query needed more memory than a query worker may use (setting worker_memory_mb={memory_mb})."
            )
            return ("error", (503, message)), b""
        except Exception as e:  # noqa: BLE001 - report, never die silently
            return ("error", (500, f"The query failed: {e}")), b""

    return answer


# -- the pool ------------------------------------------------------------------------------


@dataclass
class ExecutorStats:
    """Counters for the metrics page."""

    queries: int = 0
    timeouts: int = 0
    rejected_busy: int = 0
    rejected_budget: int = 0
    cache_hits: int = 0
    workers_replaced: int = 0


@dataclass(frozen=True)
class Admission:
    """How a query got its worker: seconds it waited for a slot, and how many queries already held
    one (running, or starting a worker) when it was let in. A query let in beside `query_workers` or
    more others did not wait for any of them to end (the long-query lane: decision in `_acquire`)."""

    queued: float
    beside: int


class QueryCancelled(VisitgraphError):
    """A running query was stopped at its client's request (its worker was killed)."""

    status = 409


@dataclass
class _Running:
    """One query registered by id while it waits or runs, so its client can cancel it."""

    client: str | None
    worker: Child | None = None
    cancelled: bool = False


class PublishedStore(Protocol):
    """What the executor asks of a store: its published generation, and a reader on it (the remote backend
    answers in this process). Every :class:`~visitgraph.store.backend.Store` is one."""

    def require_current(self) -> Generation: ...

    def reader(self) -> Reader: ...


class QueryExecutor:
    """A bounded pool of query-worker processes over one store's published generations."""

    def __init__(self, settings: Any, store: PublishedStore) -> None:
        self.settings = settings
        self.store = store
        self.stats = ExecutorStats()
        self.budget = ClientBudget(settings.client_budget)
        self.cache = ResultCache(settings.result_cache)
        self.in_process = getattr(settings, "backend", "embedded") != "embedded"
        memory_mb = int(getattr(settings, "worker_memory_mb", 0))
        self._pool = Pool(
            "visitgraph.workers.executor", (str(memory_mb),), memory_mb=memory_mb, no_network=not settings.allowlist
        )
        self._started: dict[object, float] = {}
        self._running: dict[str, _Running] = {}
        self._waiting = 0
        self._closed = False
        self._cond = threading.Condition()

    def close(self) -> None:
        """Stop every worker process (idempotent)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._pool.close()

    def worker_pids(self) -> list[int]:
        """Return the process ids of the live workers."""
        return self._pool.pids()

    def _capacity(self) -> int:
        return int(self.settings.query_workers + self.settings.max_queue)

    def _admissible(self, now: float) -> bool:
        fast = sum(1 for t in self._started.values() if now - t < LONG_QUERY_S)
        return fast < self.settings.query_workers and len(self._started) < self._capacity()

    def _acquire(self, deadline: float) -> Child:
        """Wait for a slot: at most `query_workers` young queries; at most `query_workers + max_queue`
        queries in the system, running (long ones included) or waiting."""
        entered = time.monotonic()
        with self._cond:
            if len(self._started) + self._waiting >= self._capacity():
                self.stats.rejected_busy += 1
                raise LimitExceeded(
                    f"The endpoint is busy ({len(self._started)} queries running, {self._waiting} "
                    "waiting). Try again shortly.",
                    503,
                    2,
                )
            self._waiting += 1
            try:
                while not self._closed and not self._admissible(time.monotonic()):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        self.stats.rejected_busy += 1
                        raise LimitExceeded(
                            "Every query worker stayed busy for the admission wait "
                            f"(setting admission_wait={getattr(self.settings, 'admission_wait', '')} s). "
                            "Try again shortly.",
                            503,
                            2,
                        )
                    self._cond.wait(min(left, LONG_QUERY_S / 4))  # young queries turn long without notice
                if self._closed:
                    raise StoreError("The query service is shutting down.")
                admission = Admission(time.monotonic() - entered, len(self._started))
                token = object()
                self._started[token] = float("inf")  # young until its query is sent (spawning is not running)
            finally:
                self._waiting -= 1
        try:
            worker = self._pool.take()  # an idle live worker, or a new one
        except BaseException as e:
            with self._cond:  # its slot is free again: a spawn that failed must not count as running forever
                self._started.pop(token, None)
                self._cond.notify()
            if isinstance(e, ChildGone):  # the pool closed while the worker started
                raise StoreError("The query service is shutting down.") from e
            raise
        worker.token = token  # type: ignore[attr-defined]
        worker.admission = admission  # type: ignore[attr-defined]
        return worker

    def _release(self, worker: Child, keep: bool) -> None:
        with self._cond:
            self._started.pop(worker.token, None)  # type: ignore[attr-defined]
            reuse = keep and not self._closed and self._pool.give_back(worker, True)
            self._cond.notify()
        if not reuse:
            self._pool.discard(worker)
            if not self._closed:
                self.stats.workers_replaced += 1
                threading.Thread(target=self._spare, daemon=True).start()

    def _spare(self) -> None:
        """Start a fresh worker ahead of need (a killed one is never reused).

        Runs on its own thread, so nothing it raises reaches a request: a spawn that fails (the OS refused
        the process: out of memory or process slots, an interpreter that cannot be executed just now) is
        logged and tried again after a pause, up to ``SPARE_TRIES`` times; after that the next query starts
        its own worker, as it does whenever none is idle, and gets the error then.
        """
        for attempt in range(1, SPARE_TRIES + 1):
            if self._closed:
                return
            try:
                kept = self._pool.spare(most_idle=int(self.settings.query_workers))
            except (OSError, subprocess.SubprocessError) as e:
                log.warning("starting a spare query worker failed (try %d of %d): %s", attempt, SPARE_TRIES, e)
                time.sleep(SPARE_PAUSE_S * attempt)
                continue
            if kept:
                with self._cond:
                    self._cond.notify()
            return
        log.error("no spare query worker after %d tries; the next query starts its own", SPARE_TRIES)

    def cancel(self, job_id: str, client: str | None) -> bool:
        """Stop the query registered as `job_id` by `client`: kill its worker, or stop it before it starts.

        Only the client that started a query may cancel it; an unknown id, or another client's,
        answers False (the same answer, so ids cannot be probed).
        """
        with self._cond:
            running = self._running.get(job_id)
            if running is None or running.client != client:
                return False
            running.cancelled = True
            # Killed under the lock: a worker is only ever this job's while `running.worker` names it.
            if running.worker is not None and running.worker.alive():
                running.worker.proc.kill()  # the waiting request sees the socket close and reports it
        return True

    def _register(self, job_id: str | None, client: str | None) -> _Running | None:
        if job_id is None:
            return None
        with self._cond:
            if job_id in self._running:
                raise BadParameter("query-id", f"A query with id {job_id!r} is already running; send a new id.")
            running = self._running[job_id] = _Running(client)
        return running

    def _run_job(
        self, job: tuple[Any, ...], timeout: float, running: _Running | None = None
    ) -> tuple[Any, bytes, Admission]:
        """Send a job to a worker and return its (payload, body, admission); the worker is killed `timeout` s after the job
        is sent (waiting for a slot, at most `admission_wait`, and starting a worker do not count)."""
        worker = self._acquire(
            time.monotonic() + min(timeout, float(getattr(self.settings, "admission_wait", timeout)))
        )
        keep = False
        try:
            with self._cond:  # a worker still starting turns "long" like a running query: it frees its fast slot
                self._started[worker.token] = time.monotonic()  # type: ignore[attr-defined]
            try:
                worker.started(WORKER_START_S)
            except ChildTimeout as e:
                raise StoreError(
                    f"A query worker did not start within {WORKER_START_S:g} s; the query was not answered."
                ) from e
            except ChildGone as e:
                raise EOFError(str(e)) from e
            started = time.monotonic()
            if running is not None:
                with self._cond:
                    running.worker = worker
                    if running.cancelled:
                        raise QueryCancelled("The query was cancelled before it started.")
            worker.send(job)
            ready = worker.wait_ready(min(LONG_QUERY_S, max(0.0, started + timeout - time.monotonic())))
            if not ready:
                with self._cond:
                    self._cond.notify_all()  # it just turned long: a waiting query may start
                ready = worker.wait_ready(max(0.0, started + timeout - time.monotonic()))
            if not ready:
                self.stats.timeouts += 1
                raise QueryTimeout(timeout)
            (status, payload), body = worker.receive()
            keep = True
        except (EOFError, OSError) as e:
            if running is not None and running.cancelled:
                raise QueryCancelled("The query was cancelled; its worker was stopped.") from e
            how = worker.death()
            if worker.proc.returncode == -signal.SIGSEGV:  # deterministic for this text: not worth a retry
                raise BadQuery(
                    "The query crashed the SPARQL engine (its worker was stopped by SIGSEGV and replaced): most "
                    "likely a longer flat chain of operators or patterns (thousands of +, ||, UNION or BIND) than "
                    "its parser can take. Write it with fewer."
                ) from e
            raise StoreError(
                f"The query worker stopped unexpectedly ({how}): the query crashed it or "
                f"needed more than its memory limit (setting worker_memory_mb="
                f"{getattr(self.settings, 'worker_memory_mb', 0)}). The worker was replaced; "
                "the query was not answered."
            ) from e
        finally:
            if running is not None:
                with self._cond:
                    running.worker = None
            self._release(worker, keep)
        if status == "bad":
            raise BadQuery(*payload)
        if status == "error":
            error = StoreError(payload[1])
            error.status = payload[0]
            raise error
        return payload, body, worker.admission  # type: ignore[attr-defined]

    def _reserve(self, client: str | None, budget: float) -> tuple[Reservation, float]:
        """Reserve a query's time budget from its client's (the budget may shrink to what is left)."""
        try:
            return self.budget.reserve(client, budget)
        except LimitExceeded:
            self.stats.rejected_budget += 1
            raise

    def validate(self, data: bytes, rdf_format: str, client: str | None = None) -> tuple[Any, int]:
        """Validate a posted graph in a query worker, under the query time budget and the client's budget.

        :returns: (the :class:`~visitgraph.sources.validate.ValidationReport`, number of triples posted).
        """
        ticket, budget = self._reserve(client, float(self.settings.query_timeout))
        started = time.monotonic()
        try:
            job = (VALIDATE, self.settings, data, rdf_format)
            if self.in_process:
                return answer_validation(job)
            payload, _, _ = self._run_job(job, budget)
            return payload  # type: ignore[no-any-return]
        finally:
            self.budget.settle(ticket, time.monotonic() - started)

    def execute(
        self,
        sparql: str | Analysed,
        fmt: Format | str | None = None,
        *,
        dataset: Dataset | None = None,
        substitutions: Mapping[str, Term] | None = None,
        timeout: float | None = None,
        client: str | None = None,
        max_rows: int | None = None,
        use_cache: bool = True,
        generation: Generation | None = None,
        job_id: str | None = None,
    ) -> Answer:
        """Run one read-only query in a worker and return its serialised answer (see :func:`execute`)."""
        settings = self.settings
        analysed = Analysed.of(sparql, settings.base_iri)
        sparql = analysed.text
        analysed.check_network(settings.allowlist)
        check_depth(sparql, int(getattr(settings, "max_depth", DEFAULT_MAX_DEPTH)))
        fmt = get_format(fmt) if isinstance(fmt, str) else (fmt or get_format("json"))
        budget = settings.query_timeout if timeout is None else max(0.01, min(float(timeout), settings.query_timeout))
        rows = settings.max_rows if max_rows is None else min(max_rows, settings.max_rows)
        gen = generation or self.store.require_current()
        dataset = dataset or Dataset()
        subs = dict(substitutions or {})
        key = (gen.id, sparql, dataset, fmt.name, tuple(sorted((k, str(v)) for k, v in subs.items())), rows)
        if use_cache and (hit := self.cache.get(key)) is not None:
            self.stats.cache_hits += 1
            return Answer(
                **{**hit.meta(), "body": hit.body, "cached": True, "seconds": 0.0, "queued": 0.0, "beside": 0}
            )
        ticket, budget = self._reserve(client, budget)
        try:
            running = self._register(job_id, client)
        except BaseException:
            self.budget.settle(ticket, 0.0)
            raise
        job: Job = (
            str(gen.path),
            sparql,
            fmt.name,
            dataset.default_graphs,
            dataset.named_graphs,
            subs,
            settings.base_iri,
            rows,
        )
        started = time.monotonic()
        self.stats.queries += 1
        admission = Admission(0.0, 0)  # in process: no worker, no slot
        try:
            if self.in_process:
                body, name, form, count, truncated = _answer_job(self.store.reader(), job)
            else:
                (name, form, count, truncated), body, admission = self._run_job(job, budget, running)
        finally:
            self.budget.settle(ticket, time.monotonic() - started)
            if job_id is not None:
                with self._cond:
                    self._running.pop(job_id, None)
        used = get_format(name)
        answer = Answer(
            body,
            used.media_type,
            used.name,
            form,
            count,
            truncated,
            gen.id,
            round(time.monotonic() - started, 6),
            queued=round(admission.queued, 6),
            beside=admission.beside,
        )
        if use_cache:
            self.cache.put(key, answer)
        return answer


class ExecutorReader:
    """The query surface of a read-only `pyoxigraph.Store`, answered through the executor.

    Lets library code written against a store (saved queries) run under the endpoint's limits:
    worker processes, time budget, per-client budget and the result cache.
    """

    def __init__(self, target: Any, client: str | None = None) -> None:
        self.target = target
        self.client = client

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: Any = None,
        named_graphs: Any = None,
        substitutions: Mapping[Any, Term] | None = None,
    ) -> Any:
        """Run a query in a worker and return pyoxigraph result objects, like `Store.query`."""
        from visitgraph.sparql.engine import query_form

        subs = {(k.value if isinstance(k, ox.Variable) else k): v for k, v in (substitutions or {}).items()}
        dataset = Dataset(tuple(g.value for g in default_graph or ()), tuple(g.value for g in named_graphs or ()))
        graph_form = query_form(query) in ("CONSTRUCT", "DESCRIBE")
        answer = execute(
            self.target, query, "nt" if graph_form else "json", dataset=dataset, substitutions=subs, client=self.client
        )
        if graph_form:
            scratch = ox.Store()
            scratch.bulk_extend(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
            return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)


EXTRAS_KEY = "executor"


def executor_for(state: Any) -> QueryExecutor:
    """Return the executor kept in an app state's `extras`, creating it on first use."""
    found = state.extras.get(EXTRAS_KEY)
    if found is None:
        lock = state.extras.setdefault("executor_lock", threading.Lock())
        with lock:
            found = state.extras.get(EXTRAS_KEY)
            if found is None:
                found = state.extras[EXTRAS_KEY] = QueryExecutor(state.settings, state.store)
    return found  # type: ignore[no-any-return]


def execute(
    target: Any,
    sparql: str | Analysed,
    fmt: Format | str | None = None,
    *,
    dataset: Dataset | None = None,
    substitutions: Mapping[str, Term] | None = None,
    timeout: float | None = None,
    client: str | None = None,
    max_rows: int | None = None,
    use_cache: bool = True,
    generation: Generation | None = None,
    job_id: str | None = None,
) -> Answer:
    """Run a read-only SPARQL query under the endpoint's limits and return the serialised answer.

    :param target: a :class:`QueryExecutor`, or an app state (anything with `settings`, `store`
        and an `extras` dict) whose executor is created on first use.
    :param sparql: the query, or its analysis (:class:`visitgraph.sparql.analysis.Analysed`) when the caller
        made one for its own checks: the SSRF guard then reads the same tokens.
    :param fmt: the format for the answer (name, media type or :class:`Format`); when it does not
        fit the query form (e.g. Turtle for a SELECT) the form's default is used — check `Answer.format`.
    :param dataset: `default-graph-uri` / `named-graph-uri` (default: union of all graphs).
    :param substitutions: variables bound to RDF terms before evaluation (SEP-0007), never pasted.
    :param timeout: seconds; may lower `settings.query_timeout`, never raise it.
    :param client: who pays the query time (remote address) for the per-client budget; None: nobody.
    :param max_rows: a lower row cap than `settings.max_rows`.
    :param generation: the published generation the caller already looked up (saves a second look-up;
        the answer then comes from exactly that generation).
    :raises BadQuery: syntax errors, and SERVICE/LOAD off the allow-list (400).
    :raises QueryTimeout: the query ran past its budget and its worker was killed (503).
    :raises LimitExceeded: 503 when saturated, 429 when the client's budget is spent (Retry-After).
    :raises NotPublished: nothing is published yet.
    """
    executor = target if isinstance(target, QueryExecutor) else executor_for(target)
    return executor.execute(
        sparql,
        fmt,
        dataset=dataset,
        substitutions=substitutions,
        timeout=timeout,
        client=client,
        max_rows=max_rows,
        use_cache=use_cache,
        generation=generation,
        job_id=job_id,
    )


if __name__ == "__main__":
    serve(_handler)
