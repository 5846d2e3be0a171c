"""Thin wrappers around the tpm2-tools binaries used by the ptool commands."""
import os
import subprocess
from tempfile import mkstemp


class Tpm2(object):
    def __init__(self, tmpdir, tcti=None):
        self._tmp = tmpdir
        self._tcti = tcti

    def _run(self, cmd):
        env = dict(os.environ)
        if self._tcti:
            env["TPM2TOOLS_TCTI"] = self._tcti
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        stdout, stderr = proc.communicate()
        if proc.wait() != 0:
            raise RuntimeError("Could not execute {}: {}".format(cmd[0], stderr))
        return stdout

    def createprimary(self, hierarchy="o", halg="sha256", kalg="rsa2048"):
        _, ctx = mkstemp(prefix="", suffix=".ctx", dir=self._tmp)  # leak
        self._run(["tpm2_createprimary", "-C", hierarchy, "-g", halg, "-G", kalg, "-c", ctx])
        return ctx

    def readpublic(self, handle):
        _, pub = mkstemp(prefix="", suffix=".pub", dir=self._tmp)  # leak
        self._run(["tpm2_readpublic", "-c", str(handle), "-o", pub])
        with open(pub, "rb") as f:
            return f.read()

    def load(self, pctx, pauth, priv, pub):
        _, ctx = mkstemp(prefix="", suffix=".ctx", dir=self._tmp)  # leak
        cmd = ["tpm2_load", "-C", str(pctx), "-P", pauth, "-u", pub, "-r", priv, "-c", ctx]
        self._run(cmd)
        return ctx
