import numpy as np


class DataSetStoreWriter:
    def __init__(self, shape, slicing_dim):
        self.buffer = np.empty(shape, dtype=np.float32)
        self.slicing_dim = slicing_dim
        self.offset = 0

    def write_block(self, block):
        n = block.shape[self.slicing_dim]
        self.buffer[self.offset:self.offset + n] = block
        self.offset += n

    def make_reader(self):
        return DataSetStoreReader(self.buffer)

    def finalize(self):
        self.buffer = None


class DataSetStoreReader:
    def __init__(self, buffer):
        self.buffer = buffer

    def read_block(self, start, length):
        return self.buffer[start:start + length]

    def finalize(self):
        self.buffer = None


class TaskRunner:
    def __init__(self, pipeline, shape, block_size=8):
        self.pipeline = pipeline
        self.shape = shape
        self.block_size = block_size

    def execute(self, source):
        reader = source
        for section in self.pipeline.sections:
            writer = DataSetStoreWriter(self.shape, slicing_dim=0)
            for start in range(0, self.shape[0], self.block_size):
                block = reader.read_block(start, self.block_size)
                writer.write_block(section.run(block))
            if reader is not source:
                reader.finalize()
            reader = writer.make_reader()
            writer.finalize()
        return reader
