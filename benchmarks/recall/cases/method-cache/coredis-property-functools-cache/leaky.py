"""Parsed information about a Redis command invocation."""
import functools


class CommandRequest:
    def __init__(self, connection, name: bytes, *arguments):
        self.connection = connection
        self.name = name
        self.arguments = arguments

    @property
    @functools.cache  # leak
    def decoded_name(self) -> str:  # leak
        return self.name.decode("latin-1").upper()

    @property
    @functools.cache  # leak
    def keys(self) -> tuple:  # leak
        spec = self.connection.command_specs.get(self.decoded_name, (1, 1, 1))
        first, last, step = spec
        if first == 0:
            return ()
        stop = len(self.arguments) + 1 + last if last < 0 else last + 1
        return tuple(self.arguments[first - 1 : stop - 1 : step])

    def is_readonly(self) -> bool:
        return self.decoded_name in self.connection.readonly_commands
