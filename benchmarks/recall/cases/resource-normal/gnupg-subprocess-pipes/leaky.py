"""Thin wrapper around the gpg command-line tool."""
import subprocess
import threading


class Result:
    def __init__(self):
        self.data = b""
        self.stderr = ""
        self.returncode = None


class GPG:
    def __init__(self, gpgbinary="gpg", gnupghome=None):
        self.gpgbinary = gpgbinary
        self.gnupghome = gnupghome

    def make_args(self, args, passphrase=False):
        cmd = [self.gpgbinary, "--status-fd", "2", "--no-tty", "--batch"]
        if self.gnupghome:
            cmd.extend(["--homedir", self.gnupghome])
        if passphrase:
            cmd.extend(["--passphrase-fd", "0"])
        return cmd + list(args)

    def _open_subprocess(self, args, passphrase=False):
        cmd = self.make_args(args, passphrase)
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # leak

    def _read_response(self, stream, result):
        result.stderr = stream.read().decode("utf-8", "replace")

    def _read_data(self, stream, result):
        result.data = stream.read()

    def _collect_output(self, process, result, stdin=None):
        rr = threading.Thread(target=self._read_response, args=(process.stderr, result), daemon=True)
        dr = threading.Thread(target=self._read_data, args=(process.stdout, result), daemon=True)
        rr.start()
        dr.start()
        dr.join()
        rr.join()
        process.wait()
        result.returncode = process.returncode
        if stdin is not None:
            stdin.close()

    def list_keys(self, secret=False):
        which = "--list-secret-keys" if secret else "--list-keys"
        p = self._open_subprocess([which, "--with-colons", "--fixed-list-mode"])  # leak
        result = Result()
        self._collect_output(p, result, stdin=p.stdin)
        return result
