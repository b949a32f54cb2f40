"""Project specification: YAML files -> typed, validated models."""
