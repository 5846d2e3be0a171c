"""The SSH client is closed in a finally block, so a failed connect or command still stops paramiko's transport thread."""
import paramiko


def run_remote(host, command, username, key_filename=None, timeout=15):
    client = paramiko.SSHClient()
    try:
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        client.load_system_host_keys()
        client.connect(host, username=username, key_filename=key_filename, timeout=timeout)
        _stdin, stdout, stderr = client.exec_command(command, timeout=timeout)
        status = stdout.channel.recv_exit_status()
        return status, stdout.read().decode(), stderr.read().decode()
    finally:
        client.close()
