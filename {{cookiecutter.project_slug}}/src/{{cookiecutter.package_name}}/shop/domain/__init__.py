"""Business rules as pure functions and value objects: no I/O, no framework, fully unit-tested."""
