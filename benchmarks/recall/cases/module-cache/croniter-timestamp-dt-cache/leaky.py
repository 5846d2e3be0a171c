"""Iterate over the fire times of a cron expression."""
import datetime

UTC = datetime.timezone.utc

TIMESTAMP_TO_DT_CACHE = {}  # leak


def timestamp_to_datetime(timestamp, tzinfo=None):
    """Turn a POSIX timestamp into an aware datetime in ``tzinfo``."""
    key = (timestamp, tzinfo)
    cached = TIMESTAMP_TO_DT_CACHE.get(key)
    if cached is not None:
        return cached
    result = datetime.datetime.fromtimestamp(timestamp, tz=UTC)
    if tzinfo is not None:
        result = result.astimezone(tzinfo)
    TIMESTAMP_TO_DT_CACHE[key] = result  # leak
    return result


class CronIter:
    def __init__(self, step_seconds, start_time, tzinfo=None):
        self.step = step_seconds
        self.tzinfo = tzinfo
        self.cur = start_time.timestamp()

    def get_next(self):
        self.cur = (self.cur // self.step + 1) * self.step
        return timestamp_to_datetime(self.cur, self.tzinfo)


def due_now(step_seconds, now):
    """Called every second by a polling loop, with a fresh ``now`` each time."""
    return CronIter(step_seconds, now).get_next() <= now + datetime.timedelta(seconds=1)
