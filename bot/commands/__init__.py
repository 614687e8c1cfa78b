"""Commands: each use case's input, defined once and read the same way by REST, console and chat.

`read(Model, data, code, **context)` gives the command or raises `Invalid(code)` with every
problem; bot/api/openapi.py describes the REST API from the same models.
"""

from bot.commands.base import Command, problems_of, read, read_in

__all__ = ["Command", "problems_of", "read", "read_in"]
