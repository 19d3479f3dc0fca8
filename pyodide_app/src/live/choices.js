// The values the editor offers in its menus: the same names as the Python schema
// (core/spec/sections.py, core/inputs/inits.py), so a spec the editor writes is one a fence may
// hold.  tests/js/test_choices.py fails when the two lists drift apart.

export const INITS = [
  "rows",
  "cols",
  "row_major",
  "col_major",
  "uniform",
  "gaussian",
  "pt_linear",
  "tril",
  "triu",
  "eye",
  "diff",
  "zeros",
  "ones",
  "constant",
  "arange",
  "expr",
  "data",
  "values",
  "onehot",
];

export const ALGS = ["none", "dotprod_row_major", "dotprod_col_major", "axpy", "mvprod", "vmprod", "vvprod"];

export const SCHEMES = ["blocks", "zigzag", "wheel", "custom"];

export const SENSITIVITIES = ["global", "semilocal", "local", "superlocal"];
