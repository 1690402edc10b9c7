"""Process wiring for mageseg: settings, database and cache set-up, the aiohttp app, the CLI."""
