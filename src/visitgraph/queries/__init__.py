"""Saved queries: the `.rq` file format, the catalogue, stored whole answers, answer pages in every format,
and the OpenAPI description.

Layer 7: may import the layers below (`core` … `describe`).
"""
