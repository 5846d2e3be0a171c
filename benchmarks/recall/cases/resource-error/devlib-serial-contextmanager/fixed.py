"""Serial console connections to development boards."""
import time
from contextlib import contextmanager
from logging import Logger

import serial
from pexpect import fdpexpect


class HostError(Exception):
    pass


class SerialLogger(Logger):
    write = Logger.debug

    def flush(self):
        pass


def get_connection(timeout, init_dtr=None, logcls=SerialLogger, logfile=None, *args, **kwargs):
    if init_dtr is not None:
        kwargs["dsrdtr"] = True
    try:
        conn = serial.Serial(*args, **kwargs)
    except serial.SerialException as e:
        raise HostError(str(e))
    try:
        if init_dtr is not None:
            conn.setDTR(init_dtr)
        conn.nonblocking()
        conn.flushOutput()
        target = fdpexpect.fdspawn(conn.fileno(), timeout=timeout, logfile=logfile)
    except BaseException:
        conn.close()
        raise
    target.logfile_read = logcls("read")
    target.logfile_send = logcls("send")
    return target, conn


@contextmanager
def open_serial_connection(timeout, get_conn=False, init_dtr=None, logcls=SerialLogger, *args, **kwargs):
    target, conn = get_connection(timeout, init_dtr, logcls, *args, **kwargs)
    if get_conn:
        target_and_conn = (target, conn)
    else:
        target_and_conn = target
    try:
        yield target_and_conn
    finally:
        target.close()  # Closes the file descriptor used by the conn.


def wait_for_prompt(port, baudrate, prompt="# ", timeout=30):
    with open_serial_connection(timeout, port=port, baudrate=baudrate) as target:
        target.sendline("")
        target.expect(prompt)
        time.sleep(0.1)
