"""Data shipped with the service: the starter glossary and the script that builds it."""
