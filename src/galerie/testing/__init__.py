"""Test helpers shared by every app's tests: factories for the core domain objects."""
