"""Plain-Python rules of the music service: codes, ids, value types, errors."""
