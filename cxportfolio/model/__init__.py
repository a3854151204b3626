"""Typed, validated portfolio: pydantic entities, indexes and graphs."""
