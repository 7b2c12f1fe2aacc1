"""The domain services of Traject. No widgets; every function gets its Session passed in."""
