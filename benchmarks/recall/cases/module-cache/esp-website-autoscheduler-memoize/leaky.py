"""Autoscheduler data model: classrooms and their time slots."""


def memoize(f):
    cache = {}  # leak

    def memf(*x):
        if x not in cache:
            cache[x] = f(*x)  # leak
        return cache[x]

    return memf


class AS_RoomSlot:
    def __init__(self, timeslot, room, index):
        self.timeslot = timeslot
        self.room = room
        self.index = index


class AS_Classroom:
    def __init__(self, name, timeslots):
        self.name = name
        self.availability = [AS_RoomSlot(ts, self, i) for i, ts in enumerate(timeslots)]

    @memoize
    def get_roomslots_by_duration(self, start_roomslot, duration):
        """Room slots starting at ``start_roomslot`` that cover ``duration``."""
        result = [start_roomslot]
        covered = start_roomslot.timeslot.duration
        idx = start_roomslot.index + 1
        while covered < duration and idx < len(self.availability):
            slot = self.availability[idx]
            result.append(slot)
            covered += slot.timeslot.duration
            idx += 1
        return result if covered >= duration else []
