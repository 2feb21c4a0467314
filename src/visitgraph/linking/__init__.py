"""Linking to other institutions: the name matcher, the W3C reconciliation API, and contributed linksets
(their files, review and the links shown on pages).

Layer 8: may import the layers below (`core` … `queries`).
"""
