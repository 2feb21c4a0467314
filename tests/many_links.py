"""A person of tests/data/mini/ with many accepted links (a linkset written in place), shared by the
value-cap unit tests and the hostile-input tests against a real `serve`."""

from __future__ import annotations

from pathlib import Path

from conftest import settings_for

#: The person the links are about (relative to the base IRI).
PERSON = "person/svetlana-gorokhova"


def linkset_with_many_links(root: Path, n: int) -> None:
    """Write an accepted linkset `many.ttl` under `root` giving PERSON `n` links of the default predicate."""
    from visitgraph.linking.linkset_files import DEFAULT_PREDICATE, Link, render_linkset

    settings = settings_for(root)
    iri = settings.base_iri + PERSON
    links = [Link(iri, DEFAULT_PREDICATE, f"https://example.org/agent/{i:05d}") for i in range(n)]
    folder = root / "linksets" / "accepted"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "many.ttl").write_text(
        render_linkset(settings.base_iri, "many", "Many Links Library", "2026-01-01T00:00:00Z", "many.csv", links),
        encoding="utf-8",
    )
