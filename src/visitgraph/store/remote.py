"""The remote backend: a SPARQL 1.1 server (Query + Update) holds the published graph.

Builds still parse, replay and validate locally in a staged generation (the same single
validate-then-publish path); committing pushes the whole state to the server in ONE update
request (drop our graphs, insert the new ones, write the state graph), so readers on any
front-end see the old state or the new one. The state graph names the published generation
and lists our graphs; every front-end reads it, which keeps them stateless.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import formats, vocab
from visitgraph.core.crashpoints import crash_point
from visitgraph.core.errors import BadQuery, NotPublished, QueryTimeout, StoreError
from visitgraph.core.formats import get_format
from visitgraph.sparql.engine import query_form
from visitgraph.sparql.text import inject_values
from visitgraph.store.embedded import EmbeddedStore, Generation, HistoryEntry, StagedGeneration

SYS = "https://w3id.org/visitgraph/system#"
XML_RESULTS = get_format("xml").media_type
NTRIPLES = get_format("nt").media_type


class RemoteUnavailable(StoreError):
    """The remote SPARQL server is down, unreachable or answered with a server error."""

    def __init__(self, message: str, status: int = 503) -> None:
        self.status = status
        super().__init__(message)


class RemoteClient:
    """Speak the SPARQL 1.1 Protocol to one server (query and update endpoints)."""

    def __init__(
        self, query_url: str, update_url: str, user: str = "", password: str = "", timeout: float = 30.0
    ) -> None:
        if not query_url:
            raise StoreError("The remote backend needs `remote_query_url` (the server's SPARQL query endpoint).")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if user:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {self.query_url, self.update_url}:
                manager.add_password(None, url, user, password)
            handlers += [urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)]
        self.opener = urllib.request.build_opener(*handlers)

    def _post(self, url: str, fields: Sequence[tuple[str, str]], accept: str, timeout: float | None = None) -> bytes:
        body = urllib.parse.urlencode(fields).encode("utf-8")
        req = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": f"{formats.FORM}; charset=utf-8", "Accept": accept},
        )
        try:
            with self.opener.open(req, timeout=timeout or self.timeout) as resp:
                data: bytes = resp.read()
                return data
        except urllib.error.HTTPError as e:
            detail = e.read(2000).decode("utf-8", "replace").strip()
            if 400 <= e.code < 500 and e.code not in (401, 403, 404):
                raise BadQuery(f"The remote store refused the request ({e.code}): {detail}") from e
            raise RemoteUnavailable(f"The remote store at {url} answered {e.code}: {detail[:300]}", 502) from e
        except TimeoutError as e:
            raise QueryTimeout(timeout or self.timeout) from e
        except (urllib.error.URLError, ConnectionError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise RemoteUnavailable(
                f"The remote store at {url} is unreachable ({reason}). Check that it runs; "
                "answers resume when it is back."
            ) from e

    def query(
        self,
        sparql: str,
        accept: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
    ) -> bytes:
        """POST a query with its dataset and return the raw answer."""
        fields = [("query", sparql)]
        fields += [("default-graph-uri", g) for g in default_graphs]
        fields += [("named-graph-uri", g) for g in named_graphs]
        return self._post(self.query_url, fields, accept, timeout)

    def update(self, sparql: str, timeout: float | None = None) -> None:
        """POST an update."""
        self._post(self.update_url, [("update", sparql)], "*/*", timeout)


def _genid(base: str) -> str:
    """Prefix of the skolem IRIs that stand for blank nodes on the server (RDF 1.1 skolemisation)."""
    return f"{base}.well-known/genid/"


def skolemize(term: Any, base: str) -> Any:
    """Replace a blank node by its skolem IRI, so servers can be asked about it by name."""
    return ox.NamedNode(_genid(base) + term.value) if isinstance(term, ox.BlankNode) else term


def deskolemize(data: bytes, base: str) -> bytes:
    """Turn skolem IRIs in an N-Triples or SPARQL XML answer back into blank nodes."""
    genid = re.escape(_genid(base).encode())
    data = re.sub(rb"<uri>" + genid + rb"([A-Za-z0-9_-]+)</uri>", rb"<bnode>\1</bnode>", data)
    return re.sub(rb"<" + genid + rb"([A-Za-z0-9_-]+)>", rb"_:\1", data)


def _boolean(value: bool) -> ox.QueryBoolean:
    result = ox.Store().query("ASK {}" if value else "ASK { FILTER(false) }")
    assert isinstance(result, ox.QueryBoolean)
    return result


class RemoteReader:
    """A read-only view of the remote store with the query surface of `pyoxigraph.Store`."""

    def __init__(self, owner: RemoteStore) -> None:
        self.owner = owner
        self.client = owner.client

    def _dataset(self, union: bool, default_graph: Any, named_graphs: Any) -> tuple[list[str], list[str]]:
        ours = self.owner.graphs()
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, list) else [default_graph]
            defaults = [self.owner.to_remote_graph(g) for g in graphs]
        elif union:
            defaults = [*ours, self.owner.default_graph_iri]
        else:
            defaults = [self.owner.default_graph_iri]
        named = [g.value for g in named_graphs] if named_graphs is not None else ours
        return defaults, named

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: Any = None,
        named_graphs: Any = None,
        substitutions: dict[Any, Any] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> Any:
        """Run a query remotely; answers come back as pyoxigraph result objects."""
        if substitutions:
            query = inject_values(
                query, {v.value if isinstance(v, ox.Variable) else v: t for v, t in substitutions.items()}
            )
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
        if base_iri:
            prologue = f"BASE <{base_iri}>\n" + prologue
        try:
            ox.Store().query(prologue + query)  # parse locally: same syntax errors as embedded
        except SyntaxError as e:
            from visitgraph.sparql.engine import bad_query

            raise bad_query(e) from e
        form = query_form(prologue + query)
        defaults, named = self._dataset(use_default_graph_as_union, default_graph, named_graphs)
        base = self.owner.base
        if form in ("CONSTRUCT", "DESCRIBE"):
            data = deskolemize(self.client.query(prologue + query, NTRIPLES, defaults, named), base)
            scratch = ox.Store()
            scratch.bulk_extend(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
            return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        data = deskolemize(self.client.query(prologue + query, XML_RESULTS, defaults, named), base)
        result = ox.parse_query_results(data, format=ox.QueryResultsFormat.XML)
        if form == "ASK" and isinstance(result, ox.QuerySolutions):
            rows = list(result)  # Virtuoso answers ASK as one row of __ASK_RETVAL
            value = rows[0][0] if rows else None
            return _boolean(bool(value is not None and value.value not in ("0", "false")))
        return result

    def quads_for_pattern(self, subject: Any, predicate: Any, obj: Any, graph: Any = None) -> Iterator[ox.Quad]:
        """Iterate our quads matching a pattern (None matches anything), like `Store.quads_for_pattern`."""
        if subject is None and predicate is None and obj is None:
            return self.owner.remote_quads(graph)
        base = self.owner.base
        terms = {"s": subject, "p": predicate, "o": obj}
        values = "".join(f"VALUES ?{k} {{ {skolemize(v, base)} }} " for k, v in terms.items() if v is not None)
        graphs = self.owner.state()["graphs"] if graph is None else [self.owner.to_remote_graph(graph)]
        data = deskolemize(
            self.client.query(
                f"SELECT ?s ?p ?o ?g WHERE {{ {values}GRAPH ?g {{ ?s ?p ?o }} }}", XML_RESULTS, named_graphs=graphs
            ),
            base,
        )
        out = []
        for row in ox.parse_query_results(data, format=ox.QueryResultsFormat.XML):  # type: ignore[union-attr]
            g = row["g"].value
            target: ox.NamedNode | ox.DefaultGraph = (
                ox.DefaultGraph() if g == self.owner.default_graph_iri else ox.NamedNode(g)
            )
            out.append(ox.Quad(subject or row["s"], predicate or row["p"], obj or row["o"], target))
        return iter(out)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return iter(ox.NamedNode(g) for g in self.owner.graphs())

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.owner.remote_quads(None)

    def __len__(self) -> int:
        return int(self.owner.state().get("triples", 0))


class RemoteStore:
    """Stage and validate locally, publish to and read from a remote SPARQL server.

    The local generations (staging, history, writer lock, rollback) are an :class:`EmbeddedStore` it holds, not
    one it is: that store calls :meth:`push_generation` before its pointer moves, and everything a reader sees
    comes from the server.
    """

    backend = "remote"

    def __init__(
        self, path: Path | str, client: RemoteClient, base: str, keep: int = 5, state_ttl: float = 1.0
    ) -> None:
        self.local = EmbeddedStore(path, keep=keep, push=self.push_generation)
        self.path = self.local.path
        self.keep = keep
        self.client = client
        self.base = base
        self.state_iri = f"{base}graph/-/state"
        self.default_graph_iri = f"{base}graph/-/default"
        self.state_ttl = state_ttl
        self._state: tuple[float, dict[str, Any]] | None = None
        self._state_lock = threading.Lock()

    # -- state -------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """Read (and briefly cache) the published state from the server's state graph."""
        with self._state_lock:
            if self._state is not None and time.monotonic() - self._state[0] < self.state_ttl:
                return self._state[1]
        q = f"SELECT ?p ?o WHERE {{ GRAPH <{self.state_iri}> {{ <{self.state_iri}> ?p ?o }} }}"
        data = self.client.query(q, XML_RESULTS, named_graphs=[self.state_iri])
        state: dict[str, Any] = {"graphs": []}
        for row in ox.parse_query_results(data, format=ox.QueryResultsFormat.XML):  # type: ignore[union-attr]
            p, o = row["p"].value, row["o"]
            if p == SYS + "graph":
                state["graphs"].append(o.value)
            elif p == SYS + "generation":
                state["generation"] = o.value
            elif p == SYS + "published":
                state["published"] = o.value
            elif p == SYS + "triples":
                state["triples"] = int(o.value)
        state["graphs"].sort()
        with self._state_lock:
            self._state = (time.monotonic(), state)
        return state

    @property
    def generations_dir(self) -> Path:
        return self.local.generations_dir

    def current(self) -> Generation | None:
        """Return the generation the server's state graph names, or None if nothing is published there."""
        state = self.state()
        if "generation" not in state:
            return None
        return Generation(state["generation"], self.generations_dir / state["generation"], state["published"])

    def require_current(self) -> Generation:
        """Return the published generation or raise :class:`NotPublished`."""
        gen = self.current()
        if gen is None:
            raise NotPublished(str(self.path))
        return gen

    def history(self) -> list[HistoryEntry]:
        """Return every publish and rollback, oldest first (kept locally)."""
        return self.local.history()

    def generation_ids(self) -> list[str]:
        """List the generations still on disk locally, oldest first."""
        return self.local.generation_ids()

    def graphs(self) -> list[str]:
        """List our named graphs on the server, sorted."""
        return [g for g in self.state()["graphs"] if g != self.default_graph_iri]

    def to_remote_graph(self, graph: Any) -> str:
        if isinstance(graph, ox.DefaultGraph):
            return self.default_graph_iri
        return str(graph.value)

    def reader(self) -> RemoteReader:
        self.require_current()
        return RemoteReader(self)

    def quads(self, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> Iterator[ox.Quad]:
        self.require_current()
        return self.remote_quads(graph)

    def remote_quads(self, graph: Any) -> Iterator[ox.Quad]:
        """Fetch our quads from the server, one graph or all of them."""
        graphs = self.state()["graphs"] if graph is None else [self.to_remote_graph(graph)]
        for g in graphs:
            data = self.client.query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", NTRIPLES, named_graphs=[g]
            )
            target: ox.NamedNode | ox.DefaultGraph = (
                ox.DefaultGraph() if g == self.default_graph_iri else ox.NamedNode(g)
            )
            for t in ox.parse(deskolemize(data, self.base), format=ox.RdfFormat.N_TRIPLES):
                yield ox.Quad(t.subject, t.predicate, t.object, target)

    # -- publishing --------------------------------------------------------------
    def push(self, quads: Iterable[ox.Quad], gen_id: str, published: str) -> None:
        """Replace our graphs on the server with `quads` in one update request."""
        by_graph: dict[str, list[str]] = {}
        count = 0
        for q in quads:
            g = self.default_graph_iri if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            s, o = skolemize(q.subject, self.base), skolemize(q.object, self.base)
            by_graph.setdefault(g, []).append(f"{s} {q.predicate} {o} .")
            count += 1
        old = set(self.state()["graphs"]) if self.current() is not None else set()
        drops = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in sorted(old | set(by_graph) | {self.state_iri}))
        state = [
            f'<{self.state_iri}> <{SYS}generation> "{gen_id}" .',
            f'<{self.state_iri}> <{SYS}published> "{published}" .',
            f'<{self.state_iri}> <{SYS}triples> "{count}"^^<{vocab.XSD}integer> .',
        ]
        state += [f"<{self.state_iri}> <{SYS}graph> <{g}> ." for g in sorted(by_graph)]
        blocks = [f"GRAPH <{g}> {{\n" + "\n".join(lines) + "\n}" for g, lines in sorted(by_graph.items())]
        blocks.append(f"GRAPH <{self.state_iri}> {{\n" + "\n".join(state) + "\n}")
        update = drops + " ;\nINSERT {\n" + "\n".join(blocks) + "\n} WHERE {}"
        self.client.update(update, timeout=max(self.client.timeout, 300))
        with self._state_lock:
            self._state = None

    def push_generation(self, gen_id: str, published: str) -> None:
        """Send a local generation to the server (the local store calls this before its pointer moves)."""
        local = ox.Store.read_only(str(self.generations_dir / gen_id))
        self.push(local.quads_for_pattern(None, None, None, None), gen_id, published)
        crash_point("remote.after_push")

    # -- the local side: staging, the writer lock, rollback ------------------------
    def write_lock(self) -> AbstractContextManager[None]:
        """Hold the writer lock (one publisher at a time, across processes)."""
        return self.local.write_lock()

    def stage(self, recover: Callable[[], object] | None = None) -> AbstractContextManager[StagedGeneration]:
        """Open a fresh local generation; its ``commit()`` pushes it to the server, then switches."""
        return self.local.stage(recover)

    def record_switch(self, gen_id: str, entry: HistoryEntry, published: str | None = None) -> Generation:
        """Point the local `CURRENT` at a generation the server already holds (crash recovery)."""
        return self.local.record_switch(gen_id, entry, published)

    def prune(self) -> None:
        """Remove local generations beyond `keep` and what the registered prune hooks keep."""
        self.local.prune()

    def rollback_target(self, to: str | None = None, current: Generation | None = None) -> tuple[Generation, str]:
        """Return the server's current generation and the one a rollback goes to (default: the one before)."""
        return self.local.rollback_target(to, current or self.require_current())

    def switch_back(
        self, current: Generation, to: str, who: str, details: dict[str, Any] | None = None, note: str = ""
    ) -> Generation:
        """Push generation `to` to the server again and record it; call with the writer lock held."""
        return self.local.switch_back(current, to, who, details, note)

    def rollback(self, to: str | None = None, who: str = "cli") -> Generation:
        """Make an earlier generation current again on the server (the pointer only)."""
        with self.write_lock():
            current, target = self.rollback_target(to)
            return self.switch_back(current, target, who)
