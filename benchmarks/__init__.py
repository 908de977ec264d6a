"""Scale benchmarks: synthetic plans (generate), their stores (plan_db) and `make bench` (run).

Why: a ministry runs many plans with years of weekly history; the numbers in
benchmarks/RESULTS.md show the import, the metrics and the dashboard keep pace
with DuckDB itself at 5,000 and 50,000 items. Not part of `make test`, except a
toy-size run (tests/integration/test_benchmarks_toy.py) so the runner cannot rot.
"""
