"""The saved-query file format: the header grammar, parameter types and typed values.

The grammar is documented in :mod:`visitgraph.queries.catalog`, the module to import from.

Longer than 400 lines because the header grammar, the parameter types and the binding of typed values are one file format.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.bounded import DEFAULT_MAX_DEPTH, check_sparql
from visitgraph.core.errors import BadParameter, DataSyntaxError
from visitgraph.sparql.engine import query_form

Term = ox.NamedNode | ox.Literal | ox.BlankNode

LITERAL_TYPES = ("xsd:date", "xsd:gYear", "xsd:integer", "xsd:boolean", "xsd:string", "country")
RESERVED = ("limit", "offset")
DEFAULT_LIMIT = 20
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
MAX_STRING = 1000
MAX_IRI = 2000
MAX_CHOICES = 500
_CHECK_BASE = "https://w3id.org/visitgraph/id/"

ISO_COUNTRIES = frozenset(
    """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
ZW""".split()
)

_HEADER_RE = re.compile(r"^#\s*(title|description|param|paged|hide_sql|rewrite|maintain|concat-order):\s*(.*?)\s*$")
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
QUERY_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\\x00-\x1f\x7f]*$")
_HELP_SEP = re.compile(r"\s+(?:—|--)\s+")
PATTERNS = {
    "xsd:date": r"^\d{4}-\d{2}-\d{2}$",
    "xsd:gYear": r"^\d{4}$",
    "xsd:integer": r"^[+-]?\d{1,18}$",
    "xsd:boolean": r"^(true|false)$",
    "country": r"^[A-Za-z]{2}$",
}


@dataclass(frozen=True)
class Param:
    """One typed parameter of a saved query, as declared by a `# param:` header line."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    example: str | None = None
    choices: tuple[str, ...] = ()
    choices_query: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    label: str | None = None
    help: str = ""
    #: `(column, op)`: the parameter only keeps the rows whose `?column` matches (op `=`, `>=`,
    #: `<=` or `year`), so a stored whole answer can serve it (see :mod:`visitgraph.queries.answerindex`).
    filter: tuple[str, str] | None = None

    @property
    def is_iri(self) -> bool:
        """Say whether values are IRIs (type ``iri:<class>``)."""
        return self.type.startswith("iri:")

    @property
    def class_iri(self) -> str | None:
        """Return the full IRI of the declared class of an IRI parameter."""
        return expand_curie(self.type[4:]) if self.is_iri else None

    @property
    def sample(self) -> str | None:
        """Return a value that works: the example, else the default, else the first choice."""
        return self.example or self.default or (self.choices[0] if self.choices else None)

    def expected(self) -> str:
        """Describe the expected form of a value, for error messages and help."""
        forms = {
            "xsd:date": "a date written YYYY-MM-DD, e.g. 2013-09-25",
            "xsd:gYear": "a year written with four digits, e.g. 2013",
            "xsd:integer": "a whole number, e.g. 2",
            "xsd:boolean": "true or false",
            "xsd:string": f"text of at most {MAX_STRING} characters",
            "country": "an ISO 3166-1 alpha-2 country code, e.g. LT",
        }
        text = forms.get(self.type) or (
            f"the IRI of a {self.type[4:]} in the graph: a full IRI, a /id/<kind>/<slug> path "
            f"or <kind>/<slug>" + (f", e.g. {self.sample}" if self.sample else "")
        )
        if self.choices:
            text = "one of: " + ", ".join(self.choices)
        if self.minimum is not None or self.maximum is not None:
            text += (
                f" between {self.minimum if self.minimum is not None else '-∞'} and "
                f"{self.maximum if self.maximum is not None else '∞'}"
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        """Return the parameter as a JSON-ready mapping."""
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "example": self.sample,
            "choices": list(self.choices),
            "choices_query": self.choices_query,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "label": self.label or self.name,
            "help": self.help,
            "expected": self.expected(),
        }


@dataclass(frozen=True)
class SavedQuery:
    """A named, parameterised SPARQL query read from `queries/<name>.rq`."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str
    path: Path
    paged: bool = True
    hide_sql: bool = False
    form: str = "SELECT"
    #: `(parameter, other query)`: when the parameter is bound, the other saved query (same
    #: parameters and result columns, written to start from that value) answers instead.
    rewrites: tuple[tuple[str, str], ...] = ()
    #: `# maintain: <key variable> <path>`: how the stored answer follows a write without a whole
    #: re-derivation (:mod:`visitgraph.queries.answerindex`); empty: it is derived whole again.
    maintain: str = ""
    #: `# concat-order: <column> ...`: these GROUP_CONCAT columns join their values in an order the query
    #: defines (a subquery ordered by the value feeds each), the same on every store, so the stored answer
    #: may be derived from an in-memory copy (:func:`visitgraph.queries.answermemory.disk_only`, decision
    #: 0067); a test runs every such query on the on-disk and the in-memory store and requires equal rows.
    concat_order: tuple[str, ...] = ()

    def param(self, name: str) -> Param | None:
        """Return the parameter called `name`, if declared."""
        return next((p for p in self.params if p.name == name), None)

    def examples(self) -> dict[str, str]:
        """Return one working value per parameter that has one (defaults, then examples)."""
        return {p.name: p.sample for p in self.params if p.sample is not None}

    def to_dict(self) -> dict[str, Any]:
        """Return the query as a JSON-ready mapping."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "form": self.form,
            "paged": self.paged,
            "hide_sql": self.hide_sql,
            "params": [p.to_dict() for p in self.params],
            "sparql": self.sparql,
        }


def expand_curie(curie: str) -> str:
    """Expand a CURIE with the known prefixes.

    >>> expand_curie("schema:Person")
    'http://schema.org/Person'
    """
    prefix, _, local = curie.partition(":")
    if prefix not in vocab.PREFIXES or not local:
        raise ValueError(f"unknown prefix in {curie!r}; use one of {', '.join(vocab.PREFIXES)}")
    return vocab.PREFIXES[prefix] + local


def parse_param(text: str) -> Param:
    """Parse the value of one `# param:` header line.

    >>> p = parse_param('year xsd:gYear required default=2013 — The year.')
    >>> (p.name, p.type, p.required, p.default, p.help)
    ('year', 'xsd:gYear', True, '2013', 'The year.')
    >>> parse_param('signed xsd:boolean choices=true|false').choices
    ('true', 'false')
    """
    spec, *help_part = _HELP_SEP.split(text, maxsplit=1)
    help_text = help_part[0] if help_part else ""
    tokens = shlex.split(spec)
    if len(tokens) < 2:
        raise ValueError("write `# param: <name> <type> [required] [key=value ...] — <help>`")
    name, ptype, *rest = tokens
    if not _NAME_RE.match(name) or name in RESERVED:
        raise ValueError(f"bad parameter name {name!r}: use letters, digits and _, not {RESERVED}")
    if ptype.startswith("iri:"):
        expand_curie(ptype[4:])
    elif ptype not in LITERAL_TYPES:
        raise ValueError(f"unknown type {ptype!r}; use iri:<class CURIE> or one of {', '.join(LITERAL_TYPES)}")
    values: dict[str, Any] = {"required": False}
    for token in rest:
        key, eq, value = token.partition("=")
        if token == "required":
            values["required"] = True
        elif not eq or key not in ("default", "example", "choices", "choices-query", "min", "max", "label", "filter"):
            raise ValueError(f"unknown option {token!r} of parameter {name!r}")
        elif key == "filter":
            values["filter"] = parse_filter(value, name)
        elif key == "choices":
            values["choices"] = tuple(v for v in value.split("|") if v)
        elif key in ("min", "max"):
            values["minimum" if key == "min" else "maximum"] = int(value)
        else:
            values[key.replace("-", "_")] = value
    return Param(name=name, type=ptype, help=help_text.strip(), **values)


FILTER_OPS = ("year", ">=", "<=", "=")


def parse_filter(text: str, name: str = "?") -> tuple[str, str]:
    """Parse a parameter's `filter=` option: a result variable and how the value selects rows.

    ``column`` keeps rows whose ``?column`` equals the value; ``column>=`` / ``column<=`` bound it;
    ``column:year`` compares years; ``column/<property path>`` keeps rows whose ``?column`` reaches
    the value by that path (as ``FILTER EXISTS { ?column <path> ?param }`` does).

    >>> parse_filter("date>="), parse_filter("organizationCountry"), parse_filter("date:year")
    (('date', '>='), ('organizationCountry', '='), ('date', 'year'))
    >>> parse_filter("gift/(schema:agent|schema:recipient)/schema:affiliation?")
    ('gift', 'path:(schema:agent|schema:recipient)/schema:affiliation?')
    """
    column, op = text, "="
    path = re.match(r"^([A-Za-z][A-Za-z0-9_]*)/(\S+)$", text)
    if path:
        column, op = path.group(1), "path:" + path.group(2)
    else:
        for candidate in (":year", ">=", "<="):
            if text.endswith(candidate):
                column, op = text[: -len(candidate)], candidate.lstrip(":")
                break
    if not _NAME_RE.match(column):
        raise ValueError(
            f"filter of parameter {name!r} must be a result variable name, optionally "
            f"followed by >=, <=, :year or /<property path> (got {text!r})"
        )
    return column, op


def parse_saved_query(text: str, path: Path, max_depth: int = DEFAULT_MAX_DEPTH) -> SavedQuery:
    """Parse a saved query file's text: header fields, parameters and the SPARQL body.

    :param max_depth: the deepest nesting accepted (the `max_depth` setting); Oxigraph's parser
        recurses, and 5,000 nested groups kill the process that runs the query.
    :raises DataSyntaxError: a header line or the parameter use is wrong (file and line named).
    :raises InputTooDeep: the SPARQL nests deeper than `max_depth` (file named).
    """
    name = path.stem
    fields: dict[str, list[str]] = {
        "title": [],
        "description": [],
        "paged": [],
        "hide_sql": [],
        "rewrite": [],
        "maintain": [],
        "concat-order": [],
    }
    params: list[Param] = []
    lines_of: list[int] = []
    lines = text.splitlines()
    body_start = len(lines)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            body_start = number - 1
            break
        m = _HEADER_RE.match(stripped)
        if not m:
            continue
        try:
            if m.group(1) == "param":
                params.append(parse_param(m.group(2)))
                lines_of.append(number)
            else:
                fields[m.group(1)].append(m.group(2))
        except ValueError as e:
            raise DataSyntaxError(str(path), number, None, str(e)) from e
    sparql = "\n".join(lines[body_start:]).strip() + "\n"
    check_sparql(sparql, str(path), max_depth)
    form = query_form(sparql) or "SELECT"
    flags = {k: (v[-1].lower() == "true") if v else None for k, v in fields.items() if k in ("paged", "hide_sql")}
    query = SavedQuery(
        name=name,
        title=" ".join(fields["title"]) or name.replace("-", " ").capitalize(),
        description=" ".join(fields["description"]),
        params=tuple(params),
        sparql=sparql,
        path=path,
        paged=form == "SELECT" if flags["paged"] is None else bool(flags["paged"]) and form == "SELECT",
        hide_sql=bool(flags["hide_sql"]),
        form=form,
        rewrites=tuple(_rewrites(fields["rewrite"], path)),
        maintain=_maintain(fields["maintain"], path),
        concat_order=tuple(c.removeprefix("?") for line in fields["concat-order"] for c in line.split()),
    )
    _check_query(query, lines_of)
    return query


def _maintain(lines: list[str], path: Path) -> str:
    if not lines:
        return ""
    parts = lines[-1].split(None, 1)
    if len(lines) > 1 or len(parts) != 2 or not _NAME_RE.match(parts[0].removeprefix("?")):
        raise DataSyntaxError(
            str(path),
            None,
            None,
            "write one `# maintain: <key variable> <property path from a changed resource to the key, "
            "or - for the changed resources themselves>`, or for a counting aggregate "
            "`# maintain: <key variable> per <unit variable> <path from a changed resource to the unit, or ->`",
        )
    return f"{parts[0].removeprefix('?')} {parts[1].strip()}"


def _check_concat_order(query: SavedQuery) -> None:
    """Refuse a `# concat-order:` column that is not a GROUP_CONCAT's (`(GROUP_CONCAT(…) AS ?column)`)."""
    from visitgraph.sparql.text import aggregate_columns

    concatenated = {c for _, c in aggregate_columns(query.sparql, ("GROUP_CONCAT",))}
    for column in query.concat_order:
        if column not in concatenated:
            raise DataSyntaxError(
                str(query.path),
                None,
                None,
                f"`# concat-order:` names ?{column}, which no `(GROUP_CONCAT(…) AS ?{column})` binds; "
                "write `# concat-order: <column> ...`, one GROUP_CONCAT column each, fed by a subquery ordered by its value",
            )


def _rewrites(lines: list[str], path: Path) -> list[tuple[str, str]]:
    out = []
    for line in lines:
        parts = line.split()
        if len(parts) != 2 or not _NAME_RE.match(parts[0]) or not QUERY_NAME_RE.match(parts[1]):
            raise DataSyntaxError(str(path), None, None, "write `# rewrite: <parameter> <saved query name>`")
        out.append((parts[0], parts[1]))
    return out


def _check_query(query: SavedQuery, lines_of: list[int]) -> None:
    """Refuse what would bind wrongly: bad names, duplicate or unused parameters, BOUND() on one."""
    where = str(query.path)
    _check_concat_order(query)
    if not QUERY_NAME_RE.match(query.name):
        raise DataSyntaxError(where, None, None, "name saved queries in lower-case words joined by -")
    names = [p.name for p in query.params]
    for index, (p, line) in enumerate(zip(query.params, lines_of, strict=True)):
        if p.name in names[:index]:
            raise DataSyntaxError(where, line, None, f"parameter {p.name!r} is declared twice")
        if not re.search(rf"[?$]{p.name}\b", query.sparql):
            raise DataSyntaxError(where, line, None, f"parameter {p.name!r} is not used as ?{p.name}")
        if re.search(rf"BOUND\s*\(\s*[?$]{p.name}\s*\)", query.sparql, re.I):
            raise DataSyntaxError(
                where,
                line,
                None,
                f"BOUND(?{p.name}) is always false for a bound parameter: test it with COALESCE(<condition>, true)",
            )
        if p.filter is not None and not re.search(rf"[?$]{p.filter[0]}\b", query.sparql):
            raise DataSyntaxError(
                where, line, None, f"filter of {p.name!r} names ?{p.filter[0]}, which the query does not use"
            )
        for value in filter(None, (p.default, p.example)):
            try:
                bind_value(p, value, _CHECK_BASE)
            except BadParameter as e:
                raise DataSyntaxError(where, line, None, f"default/example of {p.name!r}: {e}") from e


def normalize_iri(value: str, base_iri: str) -> str:
    """Turn a full IRI, a `/id/<kind>/<slug>` path or `<kind>/<slug>` into an absolute IRI.

    >>> normalize_iri("/id/person/x", "https://w3id.org/visitgraph/id/")
    'https://w3id.org/visitgraph/id/person/x'
    >>> normalize_iri("person/x", "https://w3id.org/visitgraph/id/")
    'https://w3id.org/visitgraph/id/person/x'
    """
    if value.startswith("/id/"):
        return vocab.iri_for_path(base_iri, value)
    kind, sep, slug = value.partition("/")
    if sep and kind in vocab.KINDS and vocab.is_slug(slug):
        return vocab.mint(base_iri, kind, slug)
    return value


def bind_value(param: Param, value: str, base_iri: str) -> Term:
    """Validate one raw value against its parameter's type and return it as an RDF term.

    :raises BadParameter: the value does not fit; the message names the expected form.
    """

    def bad(why: str = "") -> BadParameter:
        return BadParameter(param.name, f"Parameter {param.name!r}: {why or 'bad value'}; expected {param.expected()}.")

    if param.choices and value not in param.choices:
        raise bad("not one of the choices")
    if param.is_iri:
        if len(value) > MAX_IRI:
            raise bad(f"longer than {MAX_IRI} characters")
        iri = normalize_iri(value.strip(), base_iri)
        if not _IRI_RE.match(iri):
            raise bad("not an absolute IRI")
        try:
            return ox.NamedNode(iri)
        except ValueError as e:
            raise bad(f"not an IRI ({e})") from e
    if param.type == "xsd:string":
        if len(value) > MAX_STRING:
            raise bad(f"longer than {MAX_STRING} characters")
        return ox.Literal(value)
    # ASCII only and the whole value: `\d` would take ٢٠٢٠ or ２０２０, and `$` a trailing newline.
    if not re.fullmatch(PATTERNS[param.type], value, re.ASCII):
        raise bad(
            "only ASCII digits and letters in the exact form" if not value.isascii() or value != value.strip() else ""
        )
    if param.type == "country":
        if value.upper() not in ISO_COUNTRIES:
            raise bad("not an assigned country code")
        return ox.Literal(value.upper())
    if param.type == "xsd:date":
        try:
            dt.date.fromisoformat(value)
        except ValueError as e:
            raise bad("no such day") from e
    if param.type == "xsd:gYear" and value == "0000":
        raise bad("there is no year 0000")
    if param.type == "xsd:integer":
        number = int(value)
        if (param.minimum is not None and number < param.minimum) or (
            param.maximum is not None and number > param.maximum
        ):
            raise bad("out of range")
        value = str(number)
    return ox.Literal(value, datatype=ox.NamedNode(vocab.XSD + param.type.removeprefix("xsd:")))


def bind_parameters(query: SavedQuery, raw: Mapping[str, str], base_iri: str) -> dict[str, Term]:
    """Validate raw string values and return the typed RDF terms to substitute.

    A missing parameter takes its default; an empty value leaves an optional one unbound.
    `limit`, `offset` and names starting with `_` are not parameters and are ignored.

    :raises BadParameter: unknown name, missing required value or a value of the wrong form.

    >>> q = SavedQuery("x", "X", "", (Param("year", "xsd:gYear", default="2013"),), "SELECT ?year {}", Path("x.rq"))
    >>> bind_parameters(q, {}, "https://w3id.org/visitgraph/id/")["year"].value
    '2013'
    """
    known = {p.name for p in query.params}
    for name in raw:
        if name not in known and name not in RESERVED and not name.startswith("_"):
            takes = ", ".join(sorted(known)) or "no parameters"
            raise BadParameter(name, f"Unknown parameter {name!r}; the query {query.name!r} takes {takes}.")
    bound: dict[str, Term] = {}
    for p in query.params:
        value = raw.get(p.name, p.default)
        if value is None or value == "":
            if p.required:
                raise BadParameter(p.name, f"Parameter {p.name!r} is required; expected {p.expected()}.")
            continue
        bound[p.name] = bind_value(p, value, base_iri)
    return bound
