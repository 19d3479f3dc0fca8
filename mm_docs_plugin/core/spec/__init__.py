"""Layer 3, the spec: a validated, fully defaulted figure (`spec`), its matmul tree
with inferred shapes (`tree`), and mm links read as spec data."""
