"""The routine format: a YAML file read into located nodes (``nodes``), checked against
one declarative spec (``spec``, which also writes the JSON Schema), turned into the typed,
immutable model (``model``) with its meaning checks (``load``), and found by name
(``catalog``). Imports nothing above it."""
