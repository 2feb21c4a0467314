"""Given names: the first names of every locale the ``faker`` package ships (MIT; about 31,000 names).

Drafting reads with them how far back a person's name reaches when an institution's name runs into it: in "professor
of the University of Bologna Anna Maria Dell'Orto" both "Anna" and "Maria" are given names, in "professor of the
University of Paris Nanterre Claire Dubois" "Nanterre" is not, so the guest is "Claire Dubois" (decision 0091). A
name missing from the lists only keeps the last two words a person's, as before.

The lists are read once, on first use (about 0.2 s), folded (:func:`visitgraph.core.names.fold`).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from visitgraph.core.names import fold

_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


@functools.cache
def _given_names() -> frozenset[str]:
    import faker.providers.person as people  # noqa: PLC0415 - 80 locale modules, read only when drafting needs them

    names: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        provider = getattr(importlib.import_module(f"{people.__name__}.{module.name}"), "Provider", None)
        for attr in _LISTS:
            found = provider.__dict__.get(attr) if provider is not None else None
            if isinstance(found, dict | tuple | list | set | frozenset):
                names.update(fold(str(n)) for n in found)
    names.discard("")
    return frozenset(names)


def is_given_name(word: str) -> bool:
    """Say whether a word is a given name in some locale, or a hyphenated one that starts with one.

    >>> is_given_name("Anna"), is_given_name("João"), is_given_name("Mari-Liis"), is_given_name("Nanterre")
    (True, True, True, False)
    """
    key = fold(word)
    return bool(key) and (key in _given_names() or key.split()[0] in _given_names())
