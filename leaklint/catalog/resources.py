"""Calls that hand back something that must be released, keyed by qualified name.

Every rule of the resource family reads this table; nothing else lists
resource APIs. Names are the qualified names of the call as written in the
source after import resolution (``builtins.open``, ``subprocess.Popen``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import FrozenSet, Mapping, Tuple


@dataclass(frozen=True)
class ResourceKind:
    """What a family of allocating calls returns and how it is released."""

    noun: str
    verb: str  # "opened by", "started by", ... as in "file opened by open()"
    release: frozenset[str]  # methods whose call releases it
    hint: str  # the fix, said in a few words; "{call}" stands for the call's name
    fate: str = "closed"  # what never happens to a leaked one: "never closed"
    # Iterating it to the end releases it (fileinput closes each file as it goes).
    released_by_exhaustion: bool = False
    # Leaving ``with`` releases it (false for DB-API connections, whose
    # context manager only commits or rolls back).
    exit_releases: bool = True
    # Holds nothing until one of these is called on it (http.client connects
    # on the first request); empty: holds the resource from the start.
    opened_by: FrozenSet[str] = frozenset()
    # Methods whose result keeps it alive and in use (a manager's proxies).
    hands_over: FrozenSet[str] = frozenset()
    # Parts whose own close() releases it (``proc.stdout.close()``).
    parts: FrozenSet[str] = frozenset()


_CLOSE = frozenset({"close", "__exit__", "__del__"})

FILE = ResourceKind("file", "opened by", _CLOSE, "use 'with {call}(...) as f:'")
PATH_FILE = ResourceKind(
    "file", "opened by", _CLOSE, "use 'with path.open() as f:' or path.read_text()/read_bytes()"
)
ARCHIVE = ResourceKind("archive", "opened by", _CLOSE, "use 'with {call}(...) as archive:'")
DATABASE = ResourceKind("database", "opened by", _CLOSE, "use 'with {call}(...) as db:'")
TEMPORARY = ResourceKind(
    "temporary file",
    "created by",
    _CLOSE | {"cleanup"},
    "use 'with {call}(...) as tmp:'",
    fate="cleaned up",
)
SPOOLED_TEMPORARY = ResourceKind(
    "temporary file",
    "created by",
    _CLOSE,
    "use 'with {call}(...) as tmp:'",
    fate="cleaned up",
    opened_by=frozenset({"rollover", "fileno"}),
)
TEMPORARY_DIRECTORY_OBJECT = ResourceKind(
    "temporary directory",
    "created by",
    _CLOSE | {"cleanup"},
    "use 'with {call}() as tmpdir:'",
    fate="cleaned up",
)
SOCKET = ResourceKind(
    "socket", "created by", _CLOSE | {"detach"}, "use 'with {call}(...) as sock:'"
)
PROCESS = ResourceKind(
    "process",
    "started by",
    _CLOSE | {"wait", "communicate", "kill", "terminate"},
    "use subprocess.run() or 'with {call}(...) as proc:'",
    fate="waited for",
)
# A process with pipes: waiting for it reaps the child but leaves its pipes
# open; communicate(), leaving 'with', or closing the pipes closes them.
PIPED_PROCESS = ResourceKind(
    "process",
    "started with pipes by",
    frozenset({"communicate", "__exit__", "__del__"}),
    "use 'with {call}(...) as proc:' or proc.communicate(), which close its pipes",
    fate="closed",
    parts=frozenset({"stdin", "stdout", "stderr"}),
)
PIPE = ResourceKind("process pipe", "opened by", _CLOSE, "use 'with {call}(...) as pipe:'")
# ``urlopen()`` responses: reading to the end (``read()`` with no size)
# closes the connection underneath.
RESPONSE = ResourceKind(
    "response",
    "opened by",
    _CLOSE | {"read()"},
    "use 'with {call}(...) as response:'",
    released_by_exhaustion=True,  # iterating to the end reads it to the end
)
CONNECTION = ResourceKind(
    "connection",
    "opened by",
    _CLOSE | {"quit", "shutdown", "logout", "disconnect"},
    "use 'with {call}(...) as conn:' (or contextlib.closing)",
)
TRANSACTIONAL_CONNECTION = ResourceKind(
    "database connection",
    "opened by",
    _CLOSE,
    "use 'with contextlib.closing({call}(...)) as conn:'",
    exit_releases=False,
)
LAZY_CONNECTION = ResourceKind(
    "connection",
    "opened by",
    _CLOSE,
    "use 'with contextlib.closing({call}(...)) as conn:'",
    opened_by=frozenset({"connect", "request", "putrequest", "send"}),
)
# paramiko: nothing is held until it connects; then a socket and a thread.
SSH_CLIENT = ResourceKind(
    "SSH client",
    "created by",
    _CLOSE,
    "close it in a 'finally', or use 'with {call}() as client:'",
    opened_by=frozenset({"connect", "start_client", "start_server"}),
)
SESSION = ResourceKind(
    "client session", "created by", _CLOSE | {"aclose", "clear"}, "use 'with {call}(...) as client:'"
)
# requests, httpx and urllib3 open their connection pools on the first
# request: a session only made and configured (``mount()``, headers) holds
# nothing. aiohttp's makes its connector at once, and says so when dropped.
LAZY_SESSION = ResourceKind(
    "client session",
    "created by",
    _CLOSE | {"aclose", "clear"},
    "use 'with {call}(...) as client:'",
    opened_by=frozenset(
        {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream", "urlopen"}
    ),
)
POOL = ResourceKind(
    "pool",
    "created by",
    _CLOSE | {"shutdown", "terminate", "join"},
    "use 'with {call}(...) as pool:'",
)
MANAGER = ResourceKind(
    "manager process",
    "started by",
    _CLOSE | {"shutdown"},
    "use 'with {call}() as manager:'",
    fate="shut down",
    # ``Manager().dict()``: the proxy keeps its manager alive and shuts it down with it.
    hands_over=frozenset(
        {"dict", "list", "Queue", "JoinableQueue", "Lock", "RLock", "Semaphore", "BoundedSemaphore",
         "Condition", "Event", "Barrier", "Value", "Array", "Namespace", "Pool"}
    ),
)
EVENT_LOOP = ResourceKind("event loop", "created by", _CLOSE, "use asyncio.run() or call loop.close()")
SELECTOR = ResourceKind("selector", "created by", _CLOSE, "use 'with {call}() as selector:'")
MAPPING = ResourceKind("memory map", "created by", _CLOSE, "use 'with {call}(...) as mm:'")
# Opens nothing until read; reading it to the end closes each file.
FILE_INPUT = ResourceKind(
    "file input",
    "opened by",
    _CLOSE,
    "use 'with {call}(...) as f:'",
    released_by_exhaustion=True,
    opened_by=frozenset({"readline", "nextfile"}),
)
HANDLER = ResourceKind("log handler", "created by", _CLOSE, "close it or hand it to a logger")
# Pillow reads a single-frame image's data on the first operation that needs
# it (``load()``, ``convert()``...) and closes the file it opened then; a
# multi-frame image keeps it for ``seek()`` (``IMAGE_FRAME_ACCESS``).
IMAGE_LOADING = frozenset(
    {"load", "convert", "copy", "crop", "resize", "rotate", "transpose", "thumbnail", "save", "show",
     "getdata", "tobytes", "split", "getpixel", "histogram", "filter", "point", "quantize", "getbbox"}
)
IMAGE_FRAME_ACCESS = frozenset({"seek", "tell", "n_frames", "is_animated", "ImageSequence"})
IMAGE = ResourceKind("image file", "opened by", _CLOSE | IMAGE_LOADING, "use 'with {call}(...) as image:'")


# Clients that open nothing until asked to connect or send: a method other
# than those, called on one just made, leaves nothing open behind.
LAZY_CLIENTS = frozenset({LAZY_SESSION, LAZY_CONNECTION, SSH_CLIENT})

# Files whose writes go to a buffer first (open()'s default).
BUFFERED_FILES = frozenset({FILE, PATH_FILE, TEMPORARY})


def _kinded(kind: ResourceKind, *names: str) -> dict[str, ResourceKind]:
    return dict.fromkeys(names, kind)


RESOURCE_CALLS: Mapping[str, ResourceKind] = {
    **_kinded(
        FILE,
        "builtins.open",
        "io.open",
        "io.open_code",
        "io.FileIO",
        "_io.open",
        "os.fdopen",
        "codecs.open",
        "gzip.open",
        "gzip.GzipFile",
        "bz2.open",
        "bz2.BZ2File",
        "lzma.open",
        "lzma.LZMAFile",
        # Python 3.14's ``compression`` package.
        "compression.gzip.open",
        "compression.bz2.open",
        "compression.lzma.open",
        "compression.zstd.open",
        "compression.zstd.ZstdFile",
        "tokenize.open",
        "wave.open",
        "h5py.File",
        "aiofiles.open",
    ),
    **_kinded(
        ARCHIVE, "tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "zipfile.ZipFile", "zipfile.PyZipFile"
    ),
    # dbm.dumb opens its files only for the duration of each operation.
    **_kinded(DATABASE, "dbm.open", "dbm.gnu.open", "dbm.ndbm.open", "shelve.open"),
    **_kinded(
        TEMPORARY,
        "tempfile.TemporaryFile",
        "tempfile.NamedTemporaryFile",
    ),
    # A BytesIO until it outgrows max_size, then a real file: dropped, it may
    # hold one (LL303); bound to a name, it is followed once it is made one.
    **_kinded(SPOOLED_TEMPORARY, "tempfile.SpooledTemporaryFile"),
    **_kinded(TEMPORARY_DIRECTORY_OBJECT, "tempfile.TemporaryDirectory"),
    **_kinded(
        SOCKET,
        "socket.socket",
        "socket.create_connection",
        "socket.create_server",
        "socket.fromfd",
        "ssl.wrap_socket",
        "ssl.SSLContext.wrap_socket",
    ),
    **_kinded(PROCESS, "subprocess.Popen"),
    **_kinded(PIPE, "os.popen"),
    **_kinded(RESPONSE, "urllib.request.urlopen"),
    **_kinded(
        CONNECTION,
        "ftplib.FTP",
        "ftplib.FTP_TLS",
        "smtplib.SMTP",
        "smtplib.SMTP_SSL",
        "smtplib.LMTP",
        "imaplib.IMAP4",
        "imaplib.IMAP4_SSL",
        "poplib.POP3",
        "poplib.POP3_SSL",
        "psycopg.connect",
        "pymysql.connect",
        "MySQLdb.connect",
        "mysql.connector.connect",
        "cx_Oracle.connect",
        "oracledb.connect",
        "pyodbc.connect",
        "pymssql.connect",
    ),
    **_kinded(LAZY_CONNECTION, "http.client.HTTPConnection", "http.client.HTTPSConnection"),
    # Their ``with`` block is a transaction: it commits or rolls back, and
    # leaves the connection open.
    **_kinded(TRANSACTIONAL_CONNECTION, "sqlite3.connect", "psycopg2.connect"),
    **_kinded(
        LAZY_SESSION,
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "urllib3.PoolManager",
    ),
    **_kinded(SESSION, "aiohttp.ClientSession"),
    **_kinded(SSH_CLIENT, "paramiko.SSHClient", "paramiko.client.SSHClient", "paramiko.Transport",
              "paramiko.transport.Transport"),
    **_kinded(
        POOL,
        "multiprocessing.Pool",
        "multiprocessing.pool.Pool",
        "multiprocessing.pool.ThreadPool",
        "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.thread.ThreadPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
    ),
    **_kinded(MANAGER, "multiprocessing.Manager", "multiprocessing.managers.SyncManager"),
    **_kinded(EVENT_LOOP, "asyncio.new_event_loop"),
    **_kinded(
        SELECTOR,
        # SelectSelector and PollSelector hold no descriptor of their own.
        "selectors.DefaultSelector",
        "selectors.EpollSelector",
        "selectors.DevpollSelector",
        "selectors.KqueueSelector",
    ),
    **_kinded(MAPPING, "mmap.mmap"),
    **_kinded(FILE_INPUT, "fileinput.input", "fileinput.FileInput"),
    **_kinded(HANDLER, "logging.FileHandler", "logging.handlers.RotatingFileHandler"),
    **_kinded(IMAGE, "PIL.Image.open"),
}

# In-memory buffers: a file object or archive wrapped around one holds no
# operating-system resource, so leaving it unclosed costs only memory.
IN_MEMORY_BUFFERS = frozenset({"io.BytesIO", "io.StringIO", "_io.BytesIO", "_io.StringIO"})

# Clients that connect only when given a host (else on an explicit connect()).
CONNECT_ON_HOST = frozenset(
    {
        "smtplib.SMTP",
        "smtplib.SMTP_SSL",
        "smtplib.LMTP",
        "ftplib.FTP",
        "ftplib.FTP_TLS",
    }
)

# Calls returning a tuple with resources at some positions.
STREAM_WRITER = ResourceKind(
    "stream writer",
    "opened by",
    _CLOSE,
    "call writer.close() and 'await writer.wait_closed()' in a 'finally'",
)
TUPLE_RESOURCE_CALLS = {"asyncio.open_connection": (1,), "asyncio.open_unix_connection": (1,)}
# Sockets in a tuple: both ends of a pair, the connection ``accept()``
# returns on a listening socket (by what made it).
SOCKET_IN_TUPLE = ResourceKind(
    "socket", "returned by", SOCKET.release, "close it in a 'finally', or use it in a 'with' statement"
)
SOCKET_TUPLE_CALLS = {"socket.socketpair": (0, 1)}
SOCKET_TUPLE_METHODS = {(maker, "accept"): (0,) for maker in ("socket.socket", "socket.create_server")}

# Calls that build a pathlib path, so that ``<path>.open()`` opens a file.
PATH_CONSTRUCTORS = frozenset(
    {
        "pathlib.Path",
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "pathlib.Path.cwd",
        "pathlib.Path.home",
    }
)
# Path methods that return another path.
PATH_METHODS = frozenset(
    {
        "absolute",
        "expanduser",
        "joinpath",
        "resolve",
        "with_name",
        "with_stem",
        "with_suffix",
        "relative_to",
    }
)

# Methods that open a resource of their own, by what made the object they
# are called on: a member of a zip archive keeps the archive's file open
# until it is closed itself, even after the archive is closed (a tar
# member only reads through the archive's file, which closing it closes).
MEMBER = ResourceKind("archive member", "opened by", _CLOSE, "open it in a 'with' statement, or close it when done")
_ARCHIVE_MEMBERS = dict.fromkeys((("zipfile.ZipFile", "open"), ("zipfile.PyZipFile", "open")), MEMBER)
RESOURCE_METHODS: Mapping[Tuple[str, str], ResourceKind] = {
    **_ARCHIVE_MEMBERS,
    **{(maker, "open"): PATH_FILE for maker in PATH_CONSTRUCTORS},
}

# Calls that only use the files given as these keywords: the child process
# gets a copy of the descriptor, the parent's file object stays open.
STREAM_KEYWORDS_BORROWED = {
    **dict.fromkeys(
        ("subprocess.Popen", "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output"),
        frozenset({"stdin", "stdout", "stderr"}),
    ),
}

# Functions that use a file or connection passed to them but never close it.
BORROWERS = frozenset(
    {
        "builtins.print",
        "PIL.ImageSequence.Iterator",  # iterates the frames, keeps nothing
        "PIL.ImageSequence.all_frames",
        "builtins.list",
        "builtins.tuple",
        "builtins.set",
        "builtins.sorted",
        "builtins.next",
        "builtins.iter",
        "builtins.enumerate",
        "builtins.zip",
        "json.load",
        "json.dump",
        "pickle.load",
        "pickle.dump",
        "marshal.load",
        "marshal.dump",
        "plistlib.load",
        "plistlib.dump",
        "tomllib.load",
        "tomli.load",
        "yaml.load",
        "yaml.safe_load",
        "yaml.full_load",
        "yaml.unsafe_load",
        "yaml.load_all",
        "yaml.safe_load_all",
        "yaml.dump",
        "yaml.safe_dump",
        "csv.reader",
        "csv.writer",
        "csv.DictReader",
        "csv.DictWriter",
        "shutil.copyfileobj",
        "hashlib.file_digest",
        "email.message_from_file",
        "email.message_from_binary_file",
        "xml.etree.ElementTree.parse",
        "xml.etree.ElementTree.iterparse",
        "xml.dom.minidom.parse",
    }
)


def display_name(qualified_name: str) -> str:
    """How a call is named in messages: ``open``, ``subprocess.Popen``."""
    return qualified_name[len("builtins.") :] if qualified_name.startswith("builtins.") else qualified_name


# Calls that read what they are given to the end (positions of such arguments):
# a response read to the end is closed by http.client itself.
READS_TO_THE_END: Mapping[str, int] = {"json.load": 0, "pickle.load": 0, "shutil.copyfileobj": 0}

# What a function named in ``resource-functions`` returns: something that
# holds a resource and is let go by one of the usual methods.
USER_RESOURCE = ResourceKind(
    "resource",
    "returned by",
    frozenset({"close", "aclose", "shutdown", "release", "disconnect", "quit", "terminate", "cleanup", "stop",
               "__exit__", "__aexit__", "__del__"}),
    "use 'with {call}(...)', or release it in a 'finally'",
)


# Library base classes that release none of a subclass's attributes: their
# code names no attribute a subclass adds (and what they call on ``self``,
# such as ``close()``, runs the subclass's own method, which is read).
BASES_HOLDING_NOTHING = frozenset(
    {
        "abc.ABC",
        "io.IOBase",
        "io.RawIOBase",
        "io.BufferedIOBase",
        "io.TextIOBase",
        "threading.Thread",
        "typing.Generic",
        "typing.Protocol",
        "builtins.object",
        "builtins.dict",
        "builtins.list",
        "builtins.Exception",
    }
)

# Bases that hold no resources of their own, by the name a class statement
# writes them with (``class C(Protocol):``).
INERT_BASE_NAMES = frozenset({"object", "Exception", "Protocol", "Generic"})


# How code uses a resource it holds: what keeps it open, hands it on, or reads it whole.

# Calls that iterate what they are given to the end.
EXHAUSTING_CALLS = frozenset({"builtins.list", "builtins.tuple", "builtins.sorted", "builtins.set"})
# Calls that read or write the whole resource before they return.
WHOLE_RESOURCE_CONSUMERS = frozenset(
    {
        "json.load", "json.dump", "pickle.load", "pickle.dump", "marshal.load", "marshal.dump",
        "plistlib.load", "plistlib.dump", "tomllib.load", "tomli.load", "yaml.load", "yaml.safe_load",
        "yaml.full_load", "builtins.list", "builtins.tuple", "builtins.set", "builtins.sorted", "builtins.print",
    }
)
# ``proc.pid``, a bound I/O method or a way of ending it passed to a call:
# the callee can reap, use, keep or stop the resource (``wait_process(proc.pid)``,
# ``setwriter(f.write)``, ``atexit.register(proc.terminate)``).
HANDED_OUT_ATTRIBUTES = frozenset(
    {"pid", "write", "writelines", "read", "readline", "readlines", "send", "sendall", "recv", "flush",
     "terminate", "kill", "wait", "close", "shutdown", "cleanup"}
)
# Attributes that hand out what the object holds, or the object itself.
HANDING_OUT_METHODS = frozenset({"makefile", "detach", "dup", "__enter__", "__aenter__"})
# Methods returning an object that keeps its parent open (a member of an
# archive, a socket's file, a connection's cursor or channel).
CHILD_HANDLE_METHODS = frozenset(
    {"open", "makefile", "extractfile", "cursor", "channel", "open_channel", "open_session", "invoke_shell",
     "get_transport", "detach"}
)
# Attributes that hold an object's underlying OS resource (``conn.sock``, ``response.fp``).
TRANSPORT_ATTRIBUTES = frozenset({"sock", "_sock", "socket", "file", "fp", "_file", "_fp"})
# Protocol steps that fail in practice (a refused login, a bad certificate,
# a server that speaks something else), on a connection just made.
HANDSHAKE_METHODS = frozenset(
    {"connect", "handshake", "do_handshake", "login", "auth", "authenticate", "starttls", "wrap_socket",
     "open_session", "start_client", "invoke_subsystem", "ehlo"}
)
