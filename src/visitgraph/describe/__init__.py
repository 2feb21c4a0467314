"""Describing resources for people: one resource's triples and labels, page models, browsable lists, the
ontology's documentation.

Layer 6: may import the layers below (`core` … `workers`).
"""
