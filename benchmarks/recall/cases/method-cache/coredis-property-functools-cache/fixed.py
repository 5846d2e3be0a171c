"""Parsed information about a Redis command invocation."""
import functools


class CommandRequest:
    def __init__(self, connection, name: bytes, *arguments):
        self.connection = connection
        self.name = name
        self.arguments = arguments

    @functools.cached_property
    def decoded_name(self) -> str:
        return self.name.decode("latin-1").upper()

    @functools.cached_property
    def keys(self) -> tuple:
        spec = self.connection.command_specs.get(self.decoded_name, (1, 1, 1))
        first, last, step = spec
        if first == 0:
            return ()
        stop = len(self.arguments) + 1 + last if last < 0 else last + 1
        return tuple(self.arguments[first - 1 : stop - 1 : step])

    def is_readonly(self) -> bool:
        return self.decoded_name in self.connection.readonly_commands
