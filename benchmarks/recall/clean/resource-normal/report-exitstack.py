"""Every per-shard output file is registered with an ExitStack, which closes them all when the with block ends."""
import csv
import os
from contextlib import ExitStack


def split_by_region(rows, out_dir, regions):
    os.makedirs(out_dir, exist_ok=True)
    with ExitStack() as stack:
        writers = {}
        for region in regions:
            f = stack.enter_context(open(os.path.join(out_dir, f"{region}.csv"), "w", newline=""))
            writer = csv.writer(f)
            writer.writerow(["id", "region", "amount"])
            writers[region] = writer
        for row in rows:
            writer = writers.get(row["region"])
            if writer is not None:
                writer.writerow([row["id"], row["region"], row["amount"]])
    return sorted(os.listdir(out_dir))
