"""What readers are promised over time: the ledger of published IRIs, persistent IRIs, dumps and versioned
releases, VoID, resource history, Memento and the change feed.

Layer 9: may import the layers below (`core` … `linking`).
"""
