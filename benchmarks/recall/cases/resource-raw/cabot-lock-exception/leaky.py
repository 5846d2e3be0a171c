"""Motor controller node: pushes velocity setpoints to an ODrive board."""
import logging
import threading

log = logging.getLogger(__name__)


class ODriveWriter:
    def __init__(self, odrv):
        self.odrv = odrv
        self.od_write_mode_lock = threading.Lock()
        self.od_setpoint_lock = threading.Lock()
        self.od_state_lock = threading.Lock()
        self.write_mode = "velocity"

    def set_write_mode(self, mode):
        with self.od_write_mode_lock:
            self.write_mode = mode

    def write_velocity(self, left, right):
        self.od_write_mode_lock.acquire()  # leak
        self.od_setpoint_lock.acquire()  # leak
        self.od_state_lock.acquire()  # leak
        if self.write_mode != "velocity":
            log.warning("write mode is %s, ignoring setpoint", self.write_mode)
        self.odrv.axis0.controller.input_vel = left
        self.odrv.axis1.controller.input_vel = right
        self.od_state_lock.release()
        self.od_setpoint_lock.release()
        self.od_write_mode_lock.release()

    def read_state(self):
        with self.od_state_lock:
            return self.odrv.axis0.current_state, self.odrv.axis1.current_state
