"""Recorded prompts: the recordings library, manifests and freshness, and sox/espeak-ng helpers."""
