"""A no-op task database for the parallel controller."""


class BaseDB:
    def add_record(self, msg_id, record):
        raise NotImplementedError

    def get_record(self, msg_id):
        raise NotImplementedError


class NoData(KeyError):
    """Special KeyError to raise when requesting data from NoDB"""

    def __str__(self):
        return "NoDB backend doesn't store any data. Start the Controller with a DB backend to enable resubmission / result persistence."


class NoDB(BaseDB):
    """A blackhole db backend that actually stores no information."""

    def add_record(self, msg_id, record):
        pass

    def get_record(self, msg_id):
        raise NoData()

    def update_record(self, msg_id, record):
        pass

    def drop_matching_records(self, check):
        pass

    def drop_record(self, msg_id):
        pass

    def find_records(self, check, keys=None):
        raise NoData()

    def get_history(self):
        raise NoData()


def lookup_result(db, msg_id):
    try:
        return db.get_record(msg_id)
    except KeyError:
        return None
