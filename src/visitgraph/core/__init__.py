"""Core: settings, the exception tree, vocabulary and IRIs, media types, atomic files, bounded parsing, terminal text.

Layer 1 (the bottom): imports nothing else from visitgraph.
"""
