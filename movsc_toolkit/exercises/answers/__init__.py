"""Expected values of the exercises, one module per exercise set, computed from the data."""
