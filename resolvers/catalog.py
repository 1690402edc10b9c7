"""catalog: root fields are added here (see graph/schema.py DOMAINS)."""
