"""Customer segments: the condition tree, its catalogue, two evaluators (SQL for whole populations,
in memory for one shopper), refresh and the admin service. See `tree.py` for the semantics."""
