"""Spawn a child process and learn its session and process-group ids."""
import os


class OProc(object):
    def __init__(self, cmd, new_session=True):
        self.cmd = cmd
        session_pipe_read, session_pipe_write = os.pipe()
        self.pid = os.fork()

        if self.pid == 0:  # child
            try:
                os.close(session_pipe_read)
                if new_session:
                    os.setsid()
                payload = ("%d,%d" % (os.getsid(0), os.getpgid(0))).encode()
                os.write(session_pipe_write, payload)
                os.close(session_pipe_write)
                os.execv(cmd[0], cmd)
            finally:
                os._exit(255)

        # parent
        os.close(session_pipe_write)
        try:
            sid, pgid = os.read(session_pipe_read, 1024).decode().split(",")
        finally:
            os.close(session_pipe_read)
        self.sid = int(sid)
        self.pgid = int(pgid)

    def wait(self):
        _, status = os.waitpid(self.pid, 0)
        return os.WEXITSTATUS(status)
