"""Read a single member of a TAR file as if it were a file of its own."""
import io


class ContainerIO:
    """A read-only window [offset, offset + length) onto another file."""

    def __init__(self, file, offset, length):
        self.fh = file
        self.pos = 0
        self.offset = offset
        self.length = length
        self.fh.seek(offset)

    def read(self, n=-1):
        if n < 0 or n > self.length - self.pos:
            n = self.length - self.pos
        self.pos += n
        return self.fh.read(n)

    def close(self):
        self.fh.close()


class TarIO(ContainerIO):
    def __init__(self, tarfile, file):
        self.fh = open(tarfile, "rb")  # leak

        while True:
            s = self.fh.read(512)
            if len(s) != 512:
                msg = "unexpected end of tar file"
                raise OSError(msg)

            name = s[:100].decode("utf-8")
            i = name.find("\0")
            if i == 0:
                msg = "cannot find subfile"
                raise OSError(msg)
            if i > 0:
                name = name[:i]

            size = int(s[124:135], 8)

            if file == name:
                break

            self.fh.seek((size + 511) & (~511), io.SEEK_CUR)

        super().__init__(self.fh, self.fh.tell(), size)
