// Test-only helpers: the reference implementation and corpus helpers.
