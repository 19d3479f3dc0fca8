"""Layer 2, where input values come from: seeded initialisers (`inits`) and data
files (`data`: .npy, .npz, .csv, .safetensors)."""
