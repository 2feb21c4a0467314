"""The published store: the `Store` protocol, the embedded Oxigraph generations, the remote SPARQL backend,
and deterministic dumps of what a store holds.

Layer 3: may import `core` and `sparql`.
"""
