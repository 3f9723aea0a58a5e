"""Review rings, rounds, assignments, comments and decisions (built with the review issue)."""
