"""The Discord edge: a thin discord.py layer over :class:`bot.engine.Engine`.

``app.run(settings)`` is the entry point (``python -m bot`` calls it when ``DISCORD_TOKEN`` is
set). Features live in the extensions under ``cogs/``; buttons in ``views.py``; what the cogs
share (splitting, error replies, cooldowns, conversations) in ``common.py``.
"""
