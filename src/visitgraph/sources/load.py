"""Read the repository's sources (ontology, data, accepted linksets) into named graphs."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.bounded import DEFAULT_MAX_DEPTH, check_rdf, check_sparql
from visitgraph.core.config import Settings
from visitgraph.core.errors import DataSyntaxError, StoreError, VisitgraphError
from visitgraph.sources.rdfinput import rdf_input, strip_bom, syntax_error, term_too_long
from visitgraph.sparql.analysis import run_update

#: Folders read by a build, relative to the project root, with the kind of source they hold.
SOURCE_DIRS: tuple[tuple[str, str], ...] = (
    ("ontology", "ontology"),
    ("data", "data"),
    ("linksets/accepted", "linkset"),
)
RDF_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG}
CHANGESET_DIR = "changesets"


@dataclass(frozen=True)
class SourceFile:
    """One file of the repository that becomes one named graph."""

    relpath: str
    kind: str
    graph: str

    def to_dict(self) -> dict[str, str]:
        """Return the source as a JSON-ready mapping."""
        return {"path": self.relpath, "kind": self.kind, "graph": self.graph}


@dataclass
class LoadReport:
    """What a load read: its files and how many quads each gave."""

    files: list[tuple[SourceFile, int]]

    @property
    def quads(self) -> int:
        """Return the total number of quads read."""
        return sum(n for _, n in self.files)

    def to_dict(self) -> dict[str, object]:
        """Return the report as a JSON-ready mapping."""
        return {"quads": self.quads, "files": [{**s.to_dict(), "quads": n} for s, n in self.files]}


def discover_sources(settings: Settings) -> list[SourceFile]:
    """List the source files a build reads, in a stable order.

    :param settings: gives the project root and the IRI base for graph names.
    :raises StoreError: a source name that is not a readable file (a broken symbolic link): it would publish nothing.
    :raises VisitgraphError: two files whose names give the same graph IRI (`a b.ttl` and `a%20b.ttl`).
    """
    out: list[SourceFile] = []
    by_graph: dict[str, str] = {}
    for folder, kind in SOURCE_DIRS:
        root = settings.root / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix not in RDF_SUFFIXES or path.name.startswith(".") or path.is_dir():
                continue
            rel = path.relative_to(settings.root).as_posix()
            if not path.is_file():
                raise StoreError(f"Cannot read {rel}: {_not_a_file(path)}. Fix or remove it, then run again.")
            source = SourceFile(rel, kind, vocab.graph_iri(settings.base_iri, rel))
            if source.graph in by_graph:
                raise VisitgraphError(
                    f"{by_graph[source.graph]} and {rel} would both be published as graph <{source.graph}>; "
                    "rename one of them."
                )
            by_graph[source.graph] = rel
            out.append(source)
    return out


def _not_a_file(path: Path) -> str:
    """Say why a source name that is neither a file nor a folder cannot be read."""
    if path.is_symlink():
        return f"it is a symbolic link to {os.readlink(path)}, which is not a file that can be read"
    return "it is not a regular file"


def parse_rdf(
    data: bytes | str | Path,
    *,
    base_iri: str,
    name: str,
    rdf_format: ox.RdfFormat = ox.RdfFormat.TURTLE,
    graph: str | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> list[ox.Quad]:
    """Parse RDF into quads, placed in `graph` (when given) unless the format names graphs.

    :param data: the bytes, the text, or a path to read (a path is the project's own file: not bounded); a
        leading byte-order mark is skipped.
    :param name: how errors name the input (usually its relative path).
    :param max_depth: deepest JSON-LD / RDF-XML nesting accepted in bytes or text (XML entities are refused).
    :raises DataSyntaxError: naming `name`, the line and the column; or a term longer than the parser takes.
    :raises InputTooDeep: a body nested too deep, or declaring XML entities (400).
    """
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    if not isinstance(data, Path):
        data = strip_bom(data)
        check_rdf(data, rdf_format.name, name, max_depth)

    def placed(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
        return [
            q if not isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(q.subject, q.predicate, q.object, target)
            for q in quads
        ]

    try:
        if isinstance(data, Path):
            with rdf_input(data) as where:
                return placed(ox.parse(**where, format=rdf_format, base_iri=base_iri))
        return placed(ox.parse(data, format=rdf_format, base_iri=base_iri))
    except SyntaxError as e:
        raise syntax_error(name, e) from e
    except ValueError as e:
        raise DataSyntaxError(name, None, None, str(e)) from e
    except MemoryError as e:
        raise term_too_long(name, e) from e
    except OSError as e:
        raise StoreError(f"Cannot read {name}: {e}") from e


def read_source(settings: Settings, source: SourceFile) -> list[ox.Quad]:
    """Parse one source file into its named graph, rejecting ill-typed literals.

    :raises DataSyntaxError: on bad syntax or a literal that is not of its datatype.
    """
    path = settings.root / source.relpath
    quads = parse_rdf(
        path, base_iri=settings.base_iri, name=source.relpath, rdf_format=RDF_SUFFIXES[path.suffix], graph=source.graph
    )
    check_literals(quads, path.read_text(encoding="utf-8-sig"), source.relpath)
    return quads


_LEXICAL: dict[str, tuple[re.Pattern[str], str]] = {
    vocab.XSD + "date": (
        re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d\d:\d\d)?"),
        "a date written YYYY-MM-DD with a real month and day",
    ),
    vocab.XSD + "gYear": (re.compile(r"-?\d{4,}(Z|[+-]\d\d:\d\d)?"), "a year written YYYY"),
    vocab.XSD + "boolean": (re.compile(r"true|false|1|0"), "true or false"),
    vocab.XSD + "integer": (re.compile(r"[+-]?\d+"), "a whole number"),
}


def _real_date(lexical: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(lexical[:10])
    except ValueError:
        return lexical.startswith("-") or len(lexical.split("-")[0]) > 4
    return True


def _locate(text: str, needle: str) -> tuple[int | None, int | None]:
    index = text.find(needle)
    if index < 0:
        return None, None
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def ill_typed(literal: ox.Literal) -> str | None:
    """Say what an ill-typed literal's datatype expects (None: it fits, or its datatype is not checked).

    >>> ill_typed(ox.Literal("2019-02-30", datatype=ox.NamedNode(vocab.XSD + "date")))
    'a date written YYYY-MM-DD with a real month and day'
    >>> ill_typed(ox.Literal("2019-02-28", datatype=ox.NamedNode(vocab.XSD + "date"))) is None
    True
    """
    rule = _LEXICAL.get(literal.datatype.value)
    if rule is None:
        return None
    pattern, expected = rule
    ok = bool(pattern.fullmatch(literal.value))
    if ok and literal.datatype.value == vocab.XSD + "date":
        ok = _real_date(literal.value)
    return None if ok else expected


def check_literals(quads: Iterable[ox.Quad], text: str, name: str) -> None:
    """Reject literals whose lexical form does not fit their XSD datatype, naming line and column.

    :raises DataSyntaxError: for the first ill-typed literal.
    """
    for q in quads:
        obj = q.object
        if not isinstance(obj, ox.Literal):
            continue
        expected = ill_typed(obj)
        if expected is not None:
            line, column = _locate(text, f'"{obj.value}"')
            short = obj.datatype.value.replace(vocab.XSD, "xsd:")
            raise DataSyntaxError(name, line, column, f'"{obj.value}" is not a valid {short} (expected {expected})')


#: Files larger than this are not checked literal by literal when loaded (SHACL still rejects
#: ill-typed literals, only without a line number).
STREAM_BYTES = 32 * 1024 * 1024
#: A literal of a checked datatype as N-Triples writes it (no prefixes, no bare numbers): the lexical form and the datatype.
_NT_CHECKED = re.compile(rb'"((?:[^"\\\n]|\\.)*)"\^\^<(' + "|".join(re.escape(d) for d in _LEXICAL).encode() + rb")>")


def _nt_suspect(data: bytes) -> bool:
    """Say whether N-Triples text may hold an ill-typed literal of a checked datatype.

    Each distinct (lexical form, datatype) is checked once; a form with an escape is suspect (the
    Python read decides). Finds every such literal of a file the parser accepts, so False is exact.

    >>> _nt_suspect(b'<a> <b> "2019-02-28"^^<http://www.w3.org/2001/XMLSchema#date> .')
    False
    >>> _nt_suspect(b'<a> <b> "2019-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .')
    True
    """
    for lexical, datatype in set(_NT_CHECKED.findall(data)):
        if b"\\" in lexical:
            return True
        literal = ox.Literal(lexical.decode("utf-8", "replace"), datatype=ox.NamedNode(datatype.decode()))
        if ill_typed(literal) is not None:
            return True
    return False


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    """Count one graph's quads in the store (no Python object per quad)."""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)  # type: ignore[arg-type]


def load_source_into(settings: Settings, source: SourceFile, store: ox.Store) -> int:
    """Load one source file into `store` (its named graph); return how many quads it added.

    Turtle and TriG files up to :data:`STREAM_BYTES` are parsed and checked literal by literal in
    Python. N-Triples files and big files go through the store's bulk loader (decision 0042); small
    N-Triples files are checked first by a scan of their text for the checked datatypes' literals,
    and read in Python (:func:`read_source`) only to name an ill-typed one's line and column.

    :raises DataSyntaxError: on bad syntax (file:line:column), an ill-typed literal or a term too long to parse.
    """
    path = settings.root / source.relpath
    small = path.stat().st_size <= STREAM_BYTES
    graph = ox.NamedNode(source.graph)
    before = _count(store, graph)
    if small and path.suffix != ".nt":
        store.bulk_extend(read_source(settings, source))
        return _count(store, graph) - before
    if small and _nt_suspect(path.read_bytes()):
        read_source(settings, source)  # names the ill-typed literal's line and column
    try:
        with rdf_input(path) as where:
            store.bulk_load(**where, format=RDF_SUFFIXES[path.suffix], base_iri=settings.base_iri, to_graph=graph)
    except SyntaxError as e:
        raise syntax_error(source.relpath, e) from e
    except MemoryError as e:
        raise term_too_long(source.relpath, e) from e
    except OSError as e:
        raise StoreError(f"Cannot load {source.relpath}: {e}") from e
    return _count(store, graph) - before


def bulk_loaded(settings: Settings, source: SourceFile) -> bool:
    """Whether :func:`load_source_into` hands `source` to the store's bulk loader (no Python per quad)."""
    path = settings.root / source.relpath
    return path.suffix == ".nt" or path.stat().st_size > STREAM_BYTES


def load_sources_into(
    settings: Settings, sources: Sequence[SourceFile], store: ox.Store, done: Callable[[], None] | None = None
) -> list[tuple[SourceFile, int]]:
    """Load every source into `store` (each into its own named graph); return (source, quads added) in order.

    The files the store's bulk loader reads (:func:`bulk_loaded`) go `load_threads` at a time: the loader
    releases the interpreter lock, and at 1M visits two at a time took 208 s against 288 s one after another
    (decision 0077). The files parsed and checked in Python are loaded in this thread meanwhile. On an error, the
    files not yet begun are not loaded, the loads under way end, and one error is raised: a file read in this
    thread's at once, else the first failing bulk-loaded file's in `sources`' order (the caller discards the store).

    :raises DataSyntaxError: as :func:`load_source_into`.
    """
    threads = max(1, int(settings.load_threads))
    counts: dict[int, int] = {}
    bulk = [i for i, s in enumerate(sources) if bulk_loaded(settings, s)]
    if threads == 1 or len(bulk) < 2:
        bulk = []  # every file in this thread, one after another (the pool then starts no thread)
    # the biggest first, so the last to end is a small one
    bulk.sort(key=lambda i: -(settings.root / sources[i].relpath).stat().st_size)
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="load") as pool:
        futures: dict[int, Future[int]] = {i: pool.submit(load_source_into, settings, sources[i], store) for i in bulk}
        try:
            for i, source in enumerate(sources):
                if i not in futures:
                    counts[i] = load_source_into(settings, source, store)
                    if done is not None:
                        done()
            for i in bulk:
                if futures[i].exception() is not None:  # waits; a failure: the files not begun are not loaded
                    break
                if done is not None:
                    done()
        finally:
            for future in futures.values():
                future.cancel()  # those not begun; the pool's exit waits for those under way
    failed = [i for i in sorted(futures) if not futures[i].cancelled() and futures[i].exception() is not None]
    if failed:
        raise futures[failed[0]].exception()  # type: ignore[misc]
    counts.update({i: futures[i].result() for i in bulk})
    return [(s, counts[i]) for i, s in enumerate(sources)]


def read_sources(settings: Settings, sources: Iterable[SourceFile]) -> Iterator[tuple[SourceFile, list[ox.Quad]]]:
    """Parse each source in turn; the first syntax error stops the read."""
    for source in sources:
        yield source, read_source(settings, source)


def list_changesets(settings: Settings) -> list[Path]:
    """List accepted changesets (SPARQL Update files) in replay order."""
    folder = settings.root / CHANGESET_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.ru") if not p.name.startswith("."))


def apply_changeset(store: ox.Store, settings: Settings, path: Path) -> None:
    """Apply one changeset file to a writable store, under the project's settings (base IRI, `max_depth`)."""
    text = path.read_text(encoding="utf-8")
    apply_update(store, text, base_iri=settings.base_iri, name=path.name, max_depth=settings.max_depth)


def apply_update(store: ox.Store, sparql: str, *, base_iri: str, name: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Apply a SPARQL Update to a writable store, mapping syntax errors to :class:`BadQuery`.

    (:func:`visitgraph.sparql.analysis.run_update`, named here for the build's readers.) A changeset nested deeper
    than `max_depth` (the setting) is refused naming it before Oxigraph's parser, which recurses, sees it.
    """
    check_sparql(sparql, f"{CHANGESET_DIR}/{name}", max_depth)
    run_update(store, sparql, base_iri=base_iri, name=name)
