"""The librarians' drafting: read people, organisations, dates and facts from news text, draft records as
Turtle, and show what the next build would change.

Layer 11: may import the layers below (`core` … `publish`).
"""
