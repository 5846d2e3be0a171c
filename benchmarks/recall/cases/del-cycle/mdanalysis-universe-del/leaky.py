"""Topology container: a Universe owns atoms and a trajectory reader."""


class Reader(object):
    def __init__(self, filename):
        self.filename = filename
        self._file = open(filename, "rb")

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def __del__(self):
        self.close()


class Atom(object):
    __slots__ = ("index", "name", "universe")

    def __init__(self, index, name, universe):
        self.index = index
        self.name = name
        self.universe = universe  # leak

    @property
    def position(self):
        return self.universe.trajectory.positions[self.index]


class Universe(object):
    def __init__(self, topology_names, trajectory_file):
        self.atoms = [Atom(i, name, self) for i, name in enumerate(topology_names)]
        self.trajectory = Reader(trajectory_file)

    def __del__(self):
        self.trajectory.close()
