"""Raw operating-system descriptors (integers) and temporary paths."""

from __future__ import annotations

from typing import Mapping, Optional, Tuple

from leaklint.catalog.resources import ResourceKind

DESCRIPTOR = ResourceKind(
    "file descriptor",
    "from",
    frozenset(),
    "close it with os.close() in a 'finally', or let os.fdopen() own it",
)
TEMPORARY_DIRECTORY = ResourceKind(
    "temporary directory",
    "created by",
    frozenset(),
    "remove it with shutil.rmtree() in a 'finally', or use tempfile.TemporaryDirectory()",
    fate="removed",
)
TEMPORARY_PATH = ResourceKind(
    "temporary file",
    "created by",
    frozenset(),
    "remove it with os.unlink() in a 'finally', or use tempfile.NamedTemporaryFile()",
    fate="removed",
)

# Calls returning descriptors: None for a single descriptor, or the positions
# of the descriptors in the tuple returned.
DESCRIPTOR_CALLS: Mapping[str, Optional[Tuple[int, ...]]] = {
    "os.open": None,
    "os.dup": None,
    "os.eventfd": None,
    "os.memfd_create": None,
    "os.pidfd_open": None,
    "os.pipe": (0, 1),
    "os.pipe2": (0, 1),
    "os.openpty": (0, 1),
    "pty.openpty": (0, 1),
    "tempfile.mkstemp": (0,),
}

# Releasing a descriptor: closing it, or handing it to an object that owns it.
DESCRIPTOR_RELEASES = frozenset({"os.close"})

# Calls that use a descriptor and leave it open for the caller.
DESCRIPTOR_BORROWERS = frozenset(
    {
        "os.read",
        "os.write",
        "os.readv",
        "os.writev",
        "os.pread",
        "os.pwrite",
        "os.lseek",
        "os.fstat",
        "os.fstatvfs",
        "os.fsync",
        "os.fdatasync",
        "os.ftruncate",
        "os.fchmod",
        "os.fchown",
        "os.fchdir",
        "os.isatty",
        "os.ttyname",
        "os.dup",
        "os.dup2",
        "os.set_inheritable",
        "os.get_inheritable",
        "os.set_blocking",
        "os.get_blocking",
        "os.device_encoding",
        "os.get_terminal_size",
        "os.sendfile",
        "os.posix_fallocate",
        "os.posix_fadvise",
        "os.lockf",
        "fcntl.fcntl",
        "fcntl.ioctl",
        "fcntl.flock",
        "fcntl.lockf",
        "termios.tcgetattr",
        "termios.tcsetattr",
        "tty.setraw",
        "tty.setcbreak",
        "builtins.print",
        "builtins.str",
        "builtins.int",
        "builtins.repr",
    }
)

# Temporary directories and files by path: created, then removed by these.
TEMPORARY_DIRECTORY_CALLS: Mapping[str, Optional[Tuple[int, ...]]] = {"tempfile.mkdtemp": None}
TEMPORARY_FILE_PATH_CALLS: Mapping[str, Optional[Tuple[int, ...]]] = {"tempfile.mkstemp": (1,)}
TEMPORARY_PATH_REMOVERS = frozenset(
    {"shutil.rmtree", "os.rmdir", "os.removedirs", "os.remove", "os.unlink", "os.rename", "os.replace",
     "shutil.move"}
)
# Functions of modules that give a file back (a descriptor, a path) whatever their name says.
FILE_RELEASE_FUNCTIONS = frozenset({"os.remove", "os.unlink", "os.rmdir", "os.close", "shutil.rmtree"})
# Words in the name of a call that may take charge of removing a path it is
# given (``cleanup(d)``, ``add_temp_dir(d)``, ``atexit.register(shutil.rmtree,
# d)``), as whole words of its last part; any other call only uses the path.
PATH_ADOPTING_WORDS = frozenset(
    {"clean", "cleanup", "remove", "rmtree", "delete", "unlink", "register", "callback", "finalize", "defer",
     "adopt", "track", "move", "rename", "replace", "temp", "tmp"}
)
# Calls that use a path and do not take charge of removing it.
PATH_BORROWERS = frozenset(
    {
        "os.path.join",
        "os.path.exists",
        "os.path.isdir",
        "os.path.isfile",
        "os.path.getsize",
        "os.path.basename",
        "os.path.dirname",
        "os.path.abspath",
        "os.path.realpath",
        "os.listdir",
        "os.scandir",
        "os.stat",
        "os.chmod",
        "os.chdir",
        "os.makedirs",
        "os.mkdir",
        "builtins.open",
        "builtins.print",
        "builtins.str",
        "builtins.repr",
        "builtins.len",
        "pathlib.Path",
    }
)
