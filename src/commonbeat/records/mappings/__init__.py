"""The shipped source mappings: one module per source format, each registering itself."""
