"""Settings, declared once: defaults < visitgraph.toml < VISITGRAPH_* env < CLI flags."""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core.errors import VisitgraphError


@dataclass(frozen=True)
class Setting:
    """One configurable value: its name, default and a help sentence."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("root", ".", "Project folder holding ontology/, data/, shapes/, queries/, linksets/."),
    Setting("store", "var/store", "Folder of the embedded Oxigraph store (its generations)."),
    Setting("base_iri", "https://w3id.org/visitgraph/id/", "Base under which resource IRIs are minted."),
    Setting("host", "127.0.0.1", "Address `serve` binds to."),
    Setting("port", 8080, "Port `serve` listens on."),
    Setting("threads", 8, "WSGI worker threads of `serve`."),
    Setting("query_timeout", 30.0, "Time budget of one SPARQL query in seconds; past it the query is stopped."),
    Setting("query_workers", 2, "Query worker processes (each runs one query at a time)."),
    Setting("max_queue", 16, "Queries allowed to wait for a worker before answering 503."),
    Setting(
        "max_rows",
        10000,
        "Most rows a SELECT returns, and most results `/validate` lists; more are cut and the cut is stated.",
    ),
    Setting("max_body", 1_048_576, "Largest request body accepted, in bytes (413 past it)."),
    Setting("client_budget", 120.0, "Query seconds one client may use per minute (429 past it)."),
    Setting(
        "reconcile_timeout",
        10.0,
        "Seconds one reconciliation request (/reconcile batch, match, extend, suggest) may take; past it 503. Its time counts against client_budget.",
    ),
    Setting(
        "write_token",
        "",
        "Bearer token that allows writes (SPARQL Update, Graph Store, linksets). Empty: writes refused.",
    ),
    Setting("read_token", "", "Bearer token that authenticates but may only read (writes get 403)."),
    Setting(
        "admin_token",
        "",
        "Bearer token that may also confirm destructive writes (with `confirm=destructive`): emptying a curated graph, `?default` by the Graph Store, removing more than max_removal_share. Empty: refused (409).",
    ),
    Setting(
        "max_removal_share",
        0.1,
        "Largest share of the published triples one write over HTTP may remove without confirmation (409 past it).",
    ),
    Setting("service_allowlist", "", "Comma-separated IRI prefixes that SERVICE and LOAD may reach; empty: none."),
    Setting(
        "max_depth",
        200,
        "Deepest nesting accepted in a query (braces, brackets, parentheses) or a JSON, JSON-LD or RDF/XML body (400 past it); XML entity declarations are always refused.",
    ),
    Setting(
        "worker_memory_mb",
        2048,
        "Memory (data segment, MiB) one query worker may use; a worker that hits it is replaced and the query answered 503. 0: no limit.",
    ),
    Setting(
        "admission_wait",
        5.0,
        "Most seconds a query waits for a free query worker before answering 503 with Retry-After.",
    ),
    Setting(
        "header_timeout", 10.0, "Seconds a client has to send a request's headers before the connection is closed."
    ),
    Setting(
        "body_timeout",
        30.0,
        "Seconds a client has to send a request's whole body once its headers are in (408 and the connection closed past it).",
    ),
    Setting("result_cache", 256, "Entries in the in-process result cache (0 disables it)."),
    Setting(
        "validate_whole_limit",
        200_000,
        "Up to this many triples a build validates the whole graph at once; above it, in batches of focus nodes.",
    ),
    Setting("validate_batch", 250, "Focus nodes per SHACL batch when validating in batches."),
    Setting("validate_workers", 2, "Processes that check SHACL batches in parallel (batched validation only)."),
    Setting(
        "shacl_engine",
        "shacl",
        "SHACL engine: `shacl` (Rust, fast; shapes it does not support go to pyshacl) or `pyshacl` (the reference, pure Python). Both give the same results (decision 0033).",
    ),
    Setting(
        "validate_beside",
        True,
        "A whole build above validate_whole_limit triples validates with the fast engine while it derives the ledger, search index, matcher statistics and stored answers, and switches only if the data conforms (decision 0065); false: validate first, then derive.",
    ),
    Setting(
        "incremental",
        True,
        "Above validate_whole_limit triples, a build reuses the published generation: appended changesets go onto a checkpoint of it, and only the records a change touches are validated again (`build --full`: everything).",
    ),
    Setting(
        "answer_index",
        True,
        "Store each paged saved query's whole answer at publish, so its pages are slices (see `visitgraph queries index`).",
    ),
    Setting(
        "index_timeout",
        900.0,
        "Seconds one saved query may take when its whole answer is stored at publish; past it, it stays SPARQL-only.",
    ),
    Setting(
        "answers_in_memory",
        0.5,
        "Share of the memory available at publish (MemAvailable) that a whole build's stored answers may fill with in-memory copies of the generation, one per answer child, for faster derivation; when not even one copy fits, they read it on disk (0: always on disk).",
    ),
    Setting(
        "index_max_rows",
        5_000_000,
        "Largest whole answer stored for a saved query (rows); larger ones stay SPARQL-only.",
    ),
    Setting(
        "load_threads",
        2,
        "Source files a whole build bulk-loads at the same time (the N-Triples files and files over 32 MiB; 1: one after another).",
    ),
    Setting(
        "dump_threads",
        2,
        "Named graphs a whole build writes into the store's N-Quads dump (for validation, the ledger and the stored answers) at the same time (1: Oxigraph's one call).",
    ),
    Setting("keep_generations", 5, "Published store generations kept for rollback."),
    Setting(
        "publisher",
        "Presidential Library of the Administrative Department of the President of the Republic of Azerbaijan",
        "Publisher named in dataset descriptions.",
    ),
    Setting("license", "https://creativecommons.org/licenses/by/4.0/", "Licence IRI of the published dataset."),
    Setting(
        "backend",
        "embedded",
        "Store backend: `embedded` (Oxigraph on disk) or `remote` (a SPARQL 1.1 server; see docs/remote-store.md).",
    ),
    Setting("remote_query_url", "", "Remote backend: the server's SPARQL query endpoint URL."),
    Setting(
        "remote_update_url", "", "Remote backend: the server's SPARQL update endpoint URL (default: the query URL)."
    ),
    Setting("remote_user", "", "Remote backend: user name for HTTP digest/basic authentication."),
    Setting("remote_password", "", "Remote backend: password for HTTP authentication."),
    Setting("log_level", "INFO", "Logging level of `serve` (access log is one JSON line per request)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Every setting of a visitgraph instance; build it with :func:`load_settings`."""

    root: Path = Path(".")
    store: Path = Path("var/store")
    base_iri: str = "https://w3id.org/visitgraph/id/"
    host: str = "127.0.0.1"
    port: int = 8080
    threads: int = 8
    query_timeout: float = 30.0
    query_workers: int = 2
    max_queue: int = 16
    max_rows: int = 10000
    max_body: int = 1_048_576
    client_budget: float = 120.0
    reconcile_timeout: float = 10.0
    write_token: str = ""
    read_token: str = ""
    admin_token: str = ""
    max_removal_share: float = 0.1
    service_allowlist: str = ""
    max_depth: int = 200
    worker_memory_mb: int = 2048
    admission_wait: float = 5.0
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    result_cache: int = 256
    validate_whole_limit: int = 200_000
    validate_batch: int = 250
    validate_workers: int = 2
    shacl_engine: str = "shacl"
    validate_beside: bool = True
    incremental: bool = True
    answer_index: bool = True
    index_timeout: float = 900.0
    index_max_rows: int = 5_000_000
    load_threads: int = 2
    dump_threads: int = 2
    answers_in_memory: float = 0.5
    keep_generations: int = 5
    publisher: str = _BY_NAME["publisher"].default
    license: str = _BY_NAME["license"].default
    backend: str = "embedded"
    remote_query_url: str = ""
    remote_update_url: str = ""
    remote_user: str = ""
    remote_password: str = field(default="", repr=False)
    log_level: str = "INFO"

    def __post_init__(self) -> None:
        # Every path is made absolute here, once: a relative path handed on (to Flask's
        # send_file, to a worker process) would be resolved against whatever folder that code
        # happens to use, such as the package folder or the current directory.
        root = Path(self.root).expanduser().resolve()
        object.__setattr__(self, "root", root)
        store = Path(self.store).expanduser()
        object.__setattr__(self, "store", store if store.is_absolute() else root / store)
        _check_base_iri(self.base_iri)
        if self.backend not in ("embedded", "remote"):
            raise VisitgraphError(f"backend must be 'embedded' or 'remote', not {self.backend!r}.")
        if not float(self.body_timeout) > 0:
            raise VisitgraphError(f"body_timeout must be more than 0 seconds, not {self.body_timeout!r}.")
        if not 0 <= float(self.answers_in_memory) <= 1:
            raise VisitgraphError(
                f"answers_in_memory must be a share of the available memory from 0 to 1, not {self.answers_in_memory!r}."
            )
        if not int(self.load_threads) >= 1:
            raise VisitgraphError(f"load_threads must be 1 or more, not {self.load_threads!r}.")
        if not int(self.dump_threads) >= 1:
            raise VisitgraphError(f"dump_threads must be 1 or more, not {self.dump_threads!r}.")
        if self.shacl_engine not in ("shacl", "pyshacl"):
            raise VisitgraphError(f"shacl_engine must be 'shacl' or 'pyshacl', not {self.shacl_engine!r}.")
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if type(value) is int and value < 0:  # every whole-number setting counts something (or is a port)
                raise VisitgraphError(f"Setting {f.name!r} must be a whole number of 0 or more, got {value!r}.")

    @property
    def releases(self) -> Path:
        """Return the folder `visitgraph release` writes to and `/dumps/releases/` serves."""
        return self.root / "releases"

    @property
    def linksets(self) -> Path:
        """Return the folder of contributed linksets (pending/, accepted/, rejected/)."""
        return self.root / "linksets"

    @property
    def allowlist(self) -> tuple[str, ...]:
        """Return the SERVICE/LOAD allow-list as a tuple of IRI prefixes."""
        return tuple(p.strip() for p in self.service_allowlist.split(",") if p.strip())

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as plain values, secrets masked."""
        out: dict[str, Any] = {}
        for s in SETTINGS:
            value = getattr(self, s.name)
            if s.name in ("write_token", "read_token", "admin_token", "remote_password") and value:
                value = "***"
            out[s.name] = str(value) if isinstance(value, Path) else value
        return out


def _check_base_iri(base: str) -> None:
    """Refuse a base under which the minted IRIs would not be absolute http(s) IRIs one can dereference.

    :raises VisitgraphError: saying what is wrong with `base` and what a good one looks like.
    """
    if not re.match(r"(?i)https?://[^/?#]", base):
        reason = "it does not start with http:// or https:// and a host name"
    elif not base.endswith(("/", "#")):
        reason = "it does not end with '/' or '#'"
    else:
        try:
            ox.NamedNode(base)
            return
        except ValueError as e:
            reason = f"it is not a valid IRI ({e}); percent-encode what an IRI cannot hold (a space as %20)"
    raise VisitgraphError(
        f"Setting 'base_iri' must be an absolute http(s) IRI that ends with '/' or '#', such as "
        f"{_BY_NAME['base_iri'].default!r}; got {base!r}: {reason}."
    )


#: Folders that mark a project root when no root is given (`visitgraph.toml` marks one too).
ROOT_MARKERS = ("ontology", "shapes")


def find_root(start: Path | str = ".") -> Path:
    """Return the project folder at or above `start`: the nearest holding `visitgraph.toml` or ontology/ and shapes/.

    A command run from a subfolder of the project (``data/visits``, ``src``) thus works on the
    project, as git does; with no project above, `start` itself is returned (resolved).

    >>> find_root("/") == Path("/")
    True
    """
    here = Path(start).expanduser().resolve()
    for folder in (here, *here.parents):
        if (folder / "visitgraph.toml").is_file() or all((folder / m).is_dir() for m in ROOT_MARKERS):
            return folder
    return here


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _coerce(name: str, raw: Any) -> Any:
    default = _BY_NAME[name].default
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            word = str(raw).strip().lower()
            if word not in _TRUE + _FALSE:  # a typo ("ture") must not switch a setting off unnoticed
                raise ValueError(word)
            return word in _TRUE
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except (TypeError, ValueError) as e:
        kind = (
            "true or false (1/0, yes/no, on/off)"
            if isinstance(default, bool)
            else {int: "a whole number", float: "a number"}.get(type(default), f"a {type(default).__name__}")
        )
        raise VisitgraphError(f"Setting {name!r} must be {kind}, got {raw!r}.") from e
    return str(raw)


def load_settings(
    root: Path | str = ".",
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build settings from defaults, `<root>/visitgraph.toml`, `VISITGRAPH_*` env, then overrides.

    :param root: the project folder (holds `visitgraph.toml` if any).
    :param overrides: values from CLI flags; `None` values are ignored.
    :param environ: the environment to read (defaults to ``os.environ``).
    :raises VisitgraphError: on an unknown setting or a value of the wrong type.

    >>> load_settings("/nonexistent", environ={"VISITGRAPH_PORT": "9000"}).port
    9000
    """
    values: dict[str, Any] = {"root": str(root)}
    toml_path = Path(root) / "visitgraph.toml"
    if toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise VisitgraphError(f"{toml_path}: {e}. Fix the TOML syntax.") from e
        for key, raw in data.items():
            name = key.replace("-", "_")
            if name not in _BY_NAME:
                raise VisitgraphError(f"{toml_path}: unknown setting {key!r}. Known: {', '.join(sorted(_BY_NAME))}.")
            values[name] = _coerce(name, raw)
    env = os.environ if environ is None else environ
    for name in _BY_NAME:
        raw = env.get("VISITGRAPH_" + name.upper())
        if raw is not None:
            values[name] = _coerce(name, raw)
    for name, raw in (overrides or {}).items():
        if raw is None:
            continue
        if name not in _BY_NAME:
            raise VisitgraphError(f"Unknown setting {name!r}.")
        values[name] = _coerce(name, raw)
    if "root" in values and "root" not in (overrides or {}):
        values["root"] = str(root)
    return Settings(**values)
