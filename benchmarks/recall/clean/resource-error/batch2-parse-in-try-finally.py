"""Not a leak: the file is closed in a finally block, so a parse error in a malformed record still releases it."""
import csv


class RecordError(ValueError):
    pass


def load_stations(path):
    fh = open(path, newline="", encoding="utf-8")
    try:
        stations = {}
        for row_no, row in enumerate(csv.DictReader(fh), start=2):
            try:
                stations[row["id"]] = (float(row["lat"]), float(row["lon"]))
            except (KeyError, ValueError) as exc:
                raise RecordError(f"{path}:{row_no}: {exc}") from exc
        return stations
    finally:
        fh.close()
