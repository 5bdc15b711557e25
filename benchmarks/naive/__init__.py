"""A naive baseline for `benchmarks/dashboard.py`: the dashboards as a plain Django ORM app.

What a developer would write first: two models with the release's columns, SQLite, an index
on neighbourhood and on month, and one view per endpoint doing `.filter().values().annotate()`
(and Python for what the ORM cannot do on SQLite, such as a median). Benchmark-only: it is not
part of Commonbeat and reads no Commonbeat code.
"""
