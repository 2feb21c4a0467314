"""Serialise query answers with a row cap: always a complete document, the cut stated.

pyoxigraph serialises a whole solution stream; to cap rows without half-written documents the
SELECT formats (SPARQL JSON, XML, CSV, TSV) are written here from at most `max_rows` solutions.
An XML answer (SPARQL XML, RDF/XML) is refused with 406 when a literal holds a character XML 1.0
cannot carry at all (U+0000, most C0 controls, U+FFFE, U+FFFF), instead of a document no XML
parser reads (:func:`check_xml`).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from dataclasses import asdict, dataclass
from json.encoder import encode_basestring  # the C encoder json.dumps uses
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from visitgraph.core.errors import VisitgraphError
from visitgraph.core.formats import Format, get_format

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: What XML 1.0 cannot carry, even escaped, as UTF-8: C0 controls but tab, LF and CR; U+FFFE and U+FFFF.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
#: The formats that are XML documents, and what to ask for instead.
_XML_INSTEAD = {"xml": "JSON, CSV or TSV", "rdfxml": "Turtle, N-Triples or JSON-LD"}


class NotXml(VisitgraphError):
    """An answer asked for in XML holds a character XML 1.0 cannot carry (406: ask for another format)."""

    status = 406


@dataclass(frozen=True)
class Answer:
    """A serialised query answer and what a client needs to know about it."""

    body: bytes
    media_type: str
    format: str
    form: str  # SELECT, ASK, CONSTRUCT (also for DESCRIBE)
    rows: int
    truncated: bool
    generation: str | None = None
    seconds: float = 0.0
    cached: bool = False
    #: Seconds the query waited for a query worker's slot (part of `seconds`).
    queued: float = 0.0
    #: Queries already holding a slot when this one got its own (see `workers.executor.Admission`).
    beside: int = 0

    def meta(self) -> dict[str, Any]:
        """Return everything but the body, JSON-ready."""
        out = asdict(self)
        out.pop("body")
        return out


def json_term(term: Any) -> dict[str, Any]:
    """Write a pyoxigraph term as a SPARQL 1.1 JSON results term (RDF-star triples included)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": json_term(term.subject),
                "predicate": json_term(term.predicate),
                "object": json_term(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _json_term_text(term: Any) -> str:
    """Write one term as SPARQL JSON text, as `json.dumps(json_term(term))` would (compact), faster."""
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type":"uri","value":' + encode_basestring(term.value) + "}"
    if kind is ox.Literal:
        value = encode_basestring(term.value)
        if term.language:
            return '{"type":"literal","value":' + value + ',"xml:lang":' + encode_basestring(term.language) + "}"
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return '{"type":"literal","value":' + value + "}"
        return '{"type":"literal","value":' + value + ',"datatype":' + encode_basestring(datatype) + "}"
    if kind is ox.BlankNode:
        return '{"type":"bnode","value":' + encode_basestring(term.value) + "}"
    return json.dumps(json_term(term), ensure_ascii=False, separators=(",", ":"))


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected term {term!r}")


def _csv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _tsv_term(term: Any) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_solutions(
    names: list[str], rows: list[list[Any]], fmt: Format, truncated: bool = False, max_rows: int = 0
) -> bytes:
    """Write SELECT solutions in a SPARQL results format (JSON gets a `truncated` key when cut)."""
    if fmt.name == "json":
        # The `truncated` key goes first: streaming parsers (pyoxigraph's) refuse keys after `results`.
        head = ""
        if truncated:
            head = (
                '"truncated":'
                + json.dumps(
                    {
                        "max_rows": max_rows,
                        "message": (
                            f"Only the first {max_rows} rows are returned; add LIMIT/OFFSET to page through the rest."
                        ),
                    },
                    ensure_ascii=False,
                )
                + ","
            )
        keys = [encode_basestring(n) + ":" for n in names]
        bindings = ",".join(
            "{" + ",".join(k + _json_term_text(v) for k, v in zip(keys, row, strict=True) if v is not None) + "}"
            for row in rows
        )
        return (
            "{"
            + head
            + '"head":{"vars":'
            + json.dumps(names, ensure_ascii=False)
            + '},"results":{"bindings":['
            + bindings
            + "]}}"
        ).encode("utf-8")
    if fmt.name == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(n)}/>" for n in names]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [
                f"<binding name={quoteattr(n)}>{_xml_term(v)}</binding>"
                for n, v in zip(names, row, strict=True)
                if v is not None
            ]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt.name == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_csv_term(v) for v in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    if fmt.name == "tsv":
        lines = ["\t".join("?" + n for n in names)]
        lines += ["\t".join(_tsv_term(v) for v in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"{fmt.media_type} cannot carry SELECT results")


def check_xml(body: bytes, fmt: Format) -> bytes:
    """Return an answer as it is, unless it is XML and holds a character XML 1.0 cannot carry.

    One regular-expression pass over the bytes, for the XML formats only; IRIs, blank nodes and
    variable names cannot hold such a character, so it is in a literal.

    :raises NotXml: naming the first such character and the formats that can carry it.

    >>> check_xml(b"<a>\\x01</a>", get_format("json"))
    b'<a>\\x01</a>'
    >>> check_xml(b"<a>\\x01</a>", get_format("xml"))
    Traceback (most recent call last):
    visitgraph.sparql.answers.NotXml: This answer holds a character XML 1.0 cannot carry (U+0001 in a literal); ask for JSON, CSV or TSV.
    """
    instead = _XML_INSTEAD.get(fmt.name)
    found = _NOT_XML.search(body) if instead else None
    if found is None:
        return body
    raise NotXml(
        f"This answer holds a character XML 1.0 cannot carry (U+{ord(found.group().decode()):04X} in a literal); "
        f"ask for {instead}."
    )


def serialize_boolean(result: ox.QueryBoolean, fmt: Format) -> bytes:
    """Write an ASK answer; in CSV and TSV a one-column table, as Jena does (`_askResult`, then the value).

    >>> serialize_boolean(ox.Store().query("ASK {}"), get_format("csv"))
    b'_askResult\\r\\ntrue\\r\\n'
    >>> serialize_boolean(ox.Store().query("ASK { ?s ?p ?o }"), get_format("tsv"))
    b'?_askResult\\nfalse\\n'
    """
    text = "true" if bool(result) else "false"
    if fmt.name == "csv":
        return f"_askResult\r\n{text}\r\n".encode()
    if fmt.name == "tsv":
        return f"?_askResult\n{text}\n".encode()
    return result.serialize(format=fmt.results) or b""


def serialize_capped(
    result: Any,
    fmt: Format,
    max_rows: int,
    prefixes: dict[str, str] | None = None,
) -> tuple[bytes, Format, str, int, bool]:
    """Serialise an answer, cutting SELECT rows and graph triples at `max_rows`.

    A format that does not fit the answer's form is replaced by that form's default.

    :returns: (body, format used, form, rows, truncated).
    :raises NotXml: an XML answer would hold a character XML 1.0 cannot carry.
    """
    if isinstance(result, ox.QueryBoolean):
        fmt = fmt if fmt.results is not None else get_format("json")
        return serialize_boolean(result, fmt), fmt, "ASK", 1, False
    if isinstance(result, ox.QueryTriples):
        fmt = fmt if fmt.rdf is not None else get_format("ttl")
        triples = list(itertools.islice(result, max_rows + 1))
        truncated = len(triples) > max_rows
        triples = triples[:max_rows]
        items: list[Any] = triples
        if fmt.kind == "dataset":
            items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        use = prefixes if prefixes and fmt.name in ("ttl", "trig", "rdfxml") else None
        body = check_xml(ox.serialize(items, format=fmt.rdf, prefixes=use) or b"", fmt)
        return body, fmt, "CONSTRUCT", len(triples), truncated
    fmt = fmt if fmt.results is not None else get_format("json")
    names = [v.value for v in result.variables]
    rows = [list(sol) for sol in itertools.islice(result, max_rows + 1)]  # values in `variables` order
    truncated = len(rows) > max_rows
    rows = rows[:max_rows]
    body = check_xml(serialize_solutions(names, rows, fmt, truncated, max_rows), fmt)
    return body, fmt, "SELECT", len(rows), truncated
