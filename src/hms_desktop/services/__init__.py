"""Use cases: one function each, one transaction each, frozen dataclasses out."""
