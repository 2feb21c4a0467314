"""The `visitgraph` command line: a thin click shell over the library (`main` holds the group).

Layer 13 (the top, with `web`): may import every layer below, including `web` (for `serve`).
"""
