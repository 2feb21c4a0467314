"""The repository's sources: read them into named graphs (load), check them with SHACL (validate), review marks.

Layer 4: may import `core`, `sparql` and `store`.
"""
