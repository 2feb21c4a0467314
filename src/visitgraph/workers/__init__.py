"""Killable worker processes: the SPARQL endpoint's executor, the CLI's streamed query, the workbench,
validation jobs, and the sandbox that confines a worker.

Layer 5: may import the layers below (`core`, `sparql`, `store`, `sources`).
"""
