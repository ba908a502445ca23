"""One extension per feature; each ends with ``async def setup(bot)``."""
