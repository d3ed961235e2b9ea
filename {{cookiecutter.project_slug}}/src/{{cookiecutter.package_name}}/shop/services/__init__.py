"""Use cases: each combines the database with domain rules for one resource."""
