"""Layer 1, the languages a spec is written in: the fence's YAML, the matrix
expression (`expr`), element expressions (`elemexpr`), epilogs (`epilog`) and the
typed settings fields every section is declared with (`schema`)."""
