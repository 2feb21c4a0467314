"""The one validate-then-publish path: builds, incremental publishing, the write journal, rollback, and
writes over HTTP.

Layer 10: may import the layers below (`core` … `release`).
"""
