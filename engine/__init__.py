"""The domain: customers, groups, stores, auth, and later segments and pricing.

Knows nothing of GraphQL or HTTP: it imports neither strawberry nor aiohttp."""
