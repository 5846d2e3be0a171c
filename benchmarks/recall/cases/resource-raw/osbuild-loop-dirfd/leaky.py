"""Loop device helper: create a device node for a loop device in some /dev."""
import os
import stat


class Loop:
    def __init__(self, minor, dir_fd=None):
        self.devname = "loop{}".format(minor)
        self.minor = minor
        with_dir = dir_fd if dir_fd is not None else "/dev"
        if isinstance(with_dir, int):
            self.fd = os.open(self.devname, os.O_RDWR | os.O_CLOEXEC, dir_fd=with_dir)
        else:
            self.fd = os.open(os.path.join(with_dir, self.devname), os.O_RDWR | os.O_CLOEXEC)

    def mknod(self, dir_fd=None, mode=0o600):
        """Create a secondary device node for this loop device in `dir_fd`."""
        if dir_fd is None:
            dir_fd = os.open("/dev", os.O_DIRECTORY)  # leak
        info = os.fstat(self.fd)
        os.mknod(self.devname, mode=(info.st_mode & ~0o777) | mode, device=info.st_rdev, dir_fd=dir_fd)

    def close(self):
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def is_block(self):
        return stat.S_ISBLK(os.fstat(self.fd).st_mode)
