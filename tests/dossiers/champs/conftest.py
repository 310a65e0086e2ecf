from hypothesis import settings

# No example database in the working tree (.hypothesis/ is not ignored); the suite stays
# deterministic under pytest-randomly's seed.
settings.register_profile("guichet", database=None, deadline=None)
settings.load_profile("guichet")
