"""The descriptor from mkstemp() is closed at once and the file is unlinked in a finally block, so nothing is left open or on disk."""
import os
import subprocess
import tempfile


def render_with_editor(initial_text, editor="vi"):
    fd, path = tempfile.mkstemp(suffix=".txt", prefix="commit-msg-")
    os.close(fd)
    try:
        with open(path, "w") as f:
            f.write(initial_text)
        subprocess.check_call([editor, path])
        with open(path) as f:
            return f.read()
    finally:
        os.unlink(path)
