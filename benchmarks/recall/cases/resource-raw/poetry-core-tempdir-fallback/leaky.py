"""Filesystem helpers shared by the builders."""
import os
import shutil
import tempfile
from contextlib import contextmanager


@contextmanager
def temporary_directory(*args, **kwargs):
    try:
        from tempfile import TemporaryDirectory
    except ImportError:
        name = tempfile.mkdtemp(*args, **kwargs)  # leak
        yield name
        shutil.rmtree(name)
    else:
        with TemporaryDirectory(*args, **kwargs) as name:
            yield name


def build_sdist_into(builder, target_dir):
    with temporary_directory(prefix="poetry-sdist-") as tmp:
        path = builder.build(tmp)
        final = os.path.join(target_dir, os.path.basename(path))
        shutil.move(path, final)
        return final
