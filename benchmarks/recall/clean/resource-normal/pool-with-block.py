"""The worker pool is created in a with block and closed and joined before it exits, so no worker processes outlive the call."""
import multiprocessing as mp
import os


def checksum(path, chunk_size=1 << 20):
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            digest.update(chunk)
    return path, digest.hexdigest()


def checksum_tree(root, processes=None):
    paths = [os.path.join(d, name) for d, _dirs, files in os.walk(root) for name in files]
    with mp.Pool(processes=processes) as pool:
        results = dict(pool.imap_unordered(checksum, paths, chunksize=16))
        pool.close()
        pool.join()
    return results
