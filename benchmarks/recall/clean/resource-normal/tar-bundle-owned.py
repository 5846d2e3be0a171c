"""The tarfile opened in __init__ belongs to the Bundle and is closed by its close()/__exit__, so the archive is not leaked."""
import io
import json
import tarfile


class Bundle:
    def __init__(self, path):
        self.path = path
        self._tar = tarfile.open(path, "w:gz")

    def add_json(self, name, obj):
        data = json.dumps(obj, indent=2).encode("utf-8")
        info = tarfile.TarInfo(name)
        info.size = len(data)
        self._tar.addfile(info, io.BytesIO(data))

    def add_file(self, path, arcname=None):
        self._tar.add(path, arcname=arcname)

    def close(self):
        if self._tar is not None:
            self._tar.close()
            self._tar = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()


def export_run(path, metrics, artifacts):
    with Bundle(path) as bundle:
        bundle.add_json("metrics.json", metrics)
        for artifact in artifacts:
            bundle.add_file(artifact)
