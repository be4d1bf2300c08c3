"""The kernel every quality record shares (DESIGN §4): modules add their tables and verbs."""
