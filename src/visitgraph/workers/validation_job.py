"""SHACL validation of a posted graph, as a job for a query worker (killable, memory-capped, budgeted).

The shapes and the ontology are read once per worker process and project root; the posted
graph is parsed with the bounded parser (depth limit, no XML entities) inside the worker, so
neither a parser crash nor a slow validation can touch the server process.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from visitgraph.core.formats import get_format

#: First element of a validation job: (VALIDATE, settings, body bytes, format name of :mod:`visitgraph.core.formats`).
VALIDATE = "validate"
_CONTEXTS: dict[str, tuple[Any, list[ox.Quad]]] = {}


def _context(settings: Any) -> tuple[Any, list[ox.Quad]]:
    """Return (shapes graph, ontology quads) of a project, read once per process."""
    from visitgraph.sources.load import discover_sources, read_source
    from visitgraph.sources.validate import load_shapes, shapes_files

    key = str(settings.root)
    if key not in _CONTEXTS:
        ontology = [q for s in discover_sources(settings) if s.kind == "ontology" for q in read_source(settings, s)]
        _CONTEXTS[key] = (load_shapes(shapes_files(settings.root)), ontology)
    return _CONTEXTS[key]


def _rdf_format(name: str) -> ox.RdfFormat:
    found = get_format(name).rdf
    if found is None:
        raise ValueError(f"{name} is not an RDF format")
    return found


def answer_validation(job: tuple[Any, ...]) -> tuple[Any, int]:
    """Run one validation job: return (the validation report, the number of triples posted).

    :raises DataSyntaxError: the body does not parse (400).
    :raises InputTooDeep: the body nests too deep or declares XML entities (400).
    """
    from visitgraph.sources.load import parse_rdf
    from visitgraph.sources.validate import validate_quads

    _, settings, data, format_name = job
    quads = parse_rdf(
        data,
        base_iri=settings.base_iri,
        name="request body",
        rdf_format=_rdf_format(format_name),
        max_depth=int(settings.max_depth),
    )
    shapes, ontology = _context(settings)
    return validate_quads(quads + ontology, shapes, base=settings.base_iri, engine=settings.shacl_engine), len(quads)
