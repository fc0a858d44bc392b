"""The package's version, in a module of its own so that stages can stamp it (dataset manifests,
the OpenAPI document) without importing ``flyloop`` itself, which imports every stage."""

__version__ = "0.1.0"
