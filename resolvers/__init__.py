"""Thin resolvers: authorize, turn input into engine values, call the engine, build graph types."""
