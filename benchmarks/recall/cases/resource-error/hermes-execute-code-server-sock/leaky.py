"""Run model-written Python in a subprocess that calls tools back over a Unix socket."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading


def _serve_rpc(server_sock, handlers):
    conn, _ = server_sock.accept()
    with conn, conn.makefile("rwb") as stream:
        for line in stream:
            request = json.loads(line)
            result = handlers[request["tool"]](**request.get("args", {}))
            stream.write(json.dumps({"result": result}).encode() + b"\n")
            stream.flush()


def execute_code(code, handlers, timeout=300):
    tmpdir = tempfile.mkdtemp(prefix="hermes_sandbox_")
    sock_path = os.path.join(tmpdir, "rpc.sock")
    server_sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # leak
    try:
        server_sock.bind(sock_path)
        server_sock.listen(1)
        script_path = os.path.join(tmpdir, "script.py")
        with open(script_path, "w") as f:
            f.write(code)
        rpc_thread = threading.Thread(target=_serve_rpc, args=(server_sock, handlers), daemon=True)
        rpc_thread.start()
        proc = subprocess.Popen([sys.executable, script_path], env={**os.environ, "HERMES_RPC_SOCKET": sock_path}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
        server_sock.close()
        return {"exit_code": proc.returncode, "stdout": stdout, "stderr": stderr}
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
