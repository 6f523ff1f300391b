"""Narration and captions: see narration.py (the trusted steps), engines, cache, captions, mux."""
