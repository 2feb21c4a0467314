"""SPARQL as text and answers: the tokenizer, syntax-error messages, read-only execution and serialisation,
answer caps, the network guard (SSRF), write guards, per-client query limits, the service description.

Layer 2: may import `core` only.
"""
