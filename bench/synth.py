"""Deterministic generator of synthetic visits in the profile's shape, valid against the shapes.

Writes a complete visitgraph project folder (ontology/, shapes/, queries/ copied from this repo;
data/ generated) so `visitgraph --root DIR build` publishes it like the real data.

Examples:

    python bench/synth.py --visits 100000 --out /tmp/vg-100k
    visitgraph --root /tmp/vg-100k build

The repository's 30 curated visits are included. Same arguments, same bytes. Visits are spread over 2000-2025 with people, institutions in 60
countries, SKOS topics, gifts both ways, agreements (some signed) and a few inferred years, so the
saved queries and pages have realistic work to do. About 30 triples per visit.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/visitgraph/id/"
S = "http://schema.org/"
VG = "https://w3id.org/visitgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
LIBRARY = BASE + "organization/presidential-library"
DIRECTOR = BASE + "person/mayil-ahmadov"
SOURCE = BASE + "source/presidential-library-visits"
COUNTRIES = (
    "AZ RU TR KZ BY LT LV EE GE UA MD AM UZ KG TJ TM IR IQ EG MA DZ TN SA AE QA KW OM JO LB SY "
    "DE FR GB IT ES PT NL BE PL CZ SK HU AT CH SE NO FI DK US CA BR AR MX CN JP KR IN PK ID"
).split()
FIRST = (
    "Anna Ali Elena Farid Gulnara Hasan Irina Javad Kamala Leyla Murad Nigar Orhan Parvin Rashad Sabina "
    "Tural Ulviyya Vusal Zarina Ahmed Maria John Sofia Ivan Olga Peter Emma Lukas Mehmet"
).split()
LAST = (
    "Aliyeva Mammadov Huseynova Guliyev Ivanova Petrov Schmidt Dubois Rossi Garcia Kowalski Novak "
    "Nielsen Tanaka Kim Chen Khan Hassan Yilmaz Demir Bekova Nazarbayev Smirnova Brown Wilson"
).split()
KINDS = (
    "National Library",
    "State Library",
    "University Library",
    "Presidential Library",
    "Archive",
    "Ministry of Culture",
    "Library Association",
    "Cultural Centre",
    "Academy of Sciences Library",
)
ROLES = (
    "Director",
    "Director General",
    "Deputy Director",
    "Head of International Relations",
    "Chief Librarian",
    "Head of Digitisation",
    "Project Coordinator",
    "Researcher",
)
TOPICS = (
    "digitisation",
    "electronic catalogues",
    "library automation",
    "rare books",
    "exchange of experience",
    "cooperation between libraries",
    "RFID",
    "open access",
    "preservation",
    "reading promotion",
    "manuscripts",
    "bibliographic standards",
    "virtual exhibitions",
    "copyright",
    "staff training",
)
GIFTS = (
    "album-books about Azerbaijan",
    "a set of publications",
    "rare book facsimiles",
    "a carpet album",
    "a kelaghayi headscarf",
    "books about history and culture",
    "an electronic edition",
    "a commemorative medal",
)


def lit(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{escaped}"@{lang}'
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


def t(s: str, p: str, o: str) -> str:
    return f"<{s}> <{p}> {o} .\n"


def iri(value: str) -> str:
    return f"<{value}>"


def entities(
    rng: random.Random, n_orgs: int, n_people: int
) -> tuple[list[str], list[tuple[str, str, str]], Iterator[str]]:
    """Return (org IRIs, people as (iri, name, org)) and the lines describing them."""
    orgs = [f"{BASE}organization/syn-{i:06d}" for i in range(n_orgs)]
    people = []
    for i in range(n_people):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        people.append((f"{BASE}person/syn-{i:07d}", name, orgs[rng.randrange(n_orgs)]))

    def lines() -> Iterator[str]:
        r = random.Random(7)
        for i, org in enumerate(orgs):
            country = COUNTRIES[i % len(COUNTRIES)]
            addr = f"_:addr{i}"
            yield t(org, RDF_TYPE, iri(S + "Organization"))
            yield t(org, S + "name", lit(f"{r.choice(KINDS)} No. {i} of {country}"))
            yield t(org, S + "address", addr)
            yield f"{addr} <{RDF_TYPE}> <{S}PostalAddress> .\n{addr} <{S}addressCountry> {lit(country)} .\n"
        for person, name, org in people:
            yield t(person, RDF_TYPE, iri(S + "Person"))
            yield t(person, S + "name", lit(name))
            yield t(person, S + "jobTitle", lit(r.choice(ROLES)))
            yield t(person, S + "affiliation", iri(org))
        for k, label in enumerate(TOPICS):
            topic = f"{BASE}topic/syn-{k:03d}"
            yield t(topic, RDF_TYPE, iri(SKOS + "Concept"))
            yield t(topic, SKOS + "prefLabel", lit(label.capitalize(), lang="en"))
            yield t(topic, SKOS + "inScheme", iri(BASE + "scheme/topics"))

    return orgs, people, lines()


def visit_lines(i: int, rng: random.Random, people: list[tuple[str, str, str]], orgs: list[str]) -> Iterator[str]:
    """Describe synthetic visit number `i`."""
    v = f"{BASE}visit/syn-{i:07d}"
    day = date(2000, 1, 1) + timedelta(days=rng.randrange(26 * 365))
    group = [people[rng.randrange(len(people))] for _ in range(rng.choice((1, 1, 2, 3, 4)))]
    host_org = group[0][2]
    names = ", ".join(p[1] for p in group)
    yield t(v, RDF_TYPE, iri(VG + "Visit"))
    yield t(v, RDF_TYPE, iri(S + "Event"))
    yield t(v, S + "name", lit(f"Visit of {names}"))
    yield t(v, S + "startDate", lit(day.isoformat(), XSD + "date"))
    text = f"On {day:%B} {day.day}, {day.year}, {names} visited the Presidential Library."
    yield t(v, VG + "sourceText", lit(text))
    yield t(v, PROV + "wasDerivedFrom", iri(SOURCE))
    yield t(v, S + "location", iri(LIBRARY))
    yield t(v, S + "organizer", iri(LIBRARY))
    for person, _, _ in group:
        yield t(v, S + "attendee", iri(person))
    if rng.random() < 0.4:
        yield t(v, S + "contributor", iri(DIRECTOR))
    for k in rng.sample(range(len(TOPICS)), rng.choice((1, 2, 3))):
        yield t(v, S + "about", iri(f"{BASE}topic/syn-{k:03d}"))
    if rng.random() < 0.05:
        yield t(v, VG + "yearInferred", lit("true", XSD + "boolean"))
        yield t(v, VG + "dateNote", lit("Year inferred from the neighbouring items of the synthetic source."))
    for g in range(rng.choice((0, 0, 1, 2))):
        gift, item = f"{BASE}gift/syn-{i:07d}-{g}", f"{BASE}gift/syn-{i:07d}-{g}-item"
        giver, receiver = (LIBRARY, host_org) if g % 2 == 0 else (host_org, LIBRARY)
        yield t(v, VG + "gift", iri(gift))
        yield t(gift, RDF_TYPE, iri(VG + "Gift"))
        yield t(gift, RDF_TYPE, iri(S + "GiveAction"))
        yield t(gift, S + "agent", iri(giver))
        yield t(gift, S + "recipient", iri(receiver))
        yield t(gift, S + "object", iri(item))
        yield t(item, RDF_TYPE, iri(S + "CreativeWork"))
        yield t(item, S + "name", lit(rng.choice(GIFTS)))
    if rng.random() < 0.15:
        agreement = f"{BASE}agreement/syn-{i:07d}"
        yield t(v, VG + "outcome", iri(agreement))
        yield t(agreement, RDF_TYPE, iri(VG + "Agreement"))
        yield t(agreement, S + "name", lit("Agreement on cooperation"))
        yield t(agreement, VG + "signed", lit("true" if rng.random() < 0.3 else "false", XSD + "boolean"))


def generate(visits: int, out: Path, seed: int = 1, per_file: int = 100_000, progress: bool = False) -> int:
    """Write a synthetic project with `visits` visits under `out`; return the number of triples written."""
    if out.exists():
        shutil.rmtree(out)
    for folder in ("ontology", "shapes", "queries"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, out / folder)
    data = out / "data"
    # The 30 curated visits come along, so saved queries' default examples find their resources.
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("source"))
    (data / "synth").mkdir(parents=True)
    rng = random.Random(seed)
    orgs, people, lines = entities(rng, max(50, visits // 10), max(100, visits * 13 // 10))
    count = 0
    with open(data / "synth" / "entities.nt", "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line)
            count += line.count("\n")
    for start in range(0, visits, per_file):
        with open(data / "synth" / f"visits-{start // per_file:04d}.nt", "w", encoding="utf-8") as fh:
            for i in range(start, min(visits, start + per_file)):
                for line in visit_lines(i, rng, people, orgs):
                    fh.write(line)
                    count += 1
        if progress:
            print(f"  {min(visits, start + per_file)}/{visits} visits", file=sys.stderr)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--visits", type=int, required=True, help="number of synthetic visits")
    parser.add_argument("--out", type=Path, required=True, help="project folder to (re)create")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    n = generate(args.visits, args.out, args.seed, progress=True)
    print(f"wrote {n} triples for {args.visits} visits to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
