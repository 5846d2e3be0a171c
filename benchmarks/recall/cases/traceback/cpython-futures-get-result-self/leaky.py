"""A cut-down concurrent Future."""
import threading

PENDING, FINISHED = "PENDING", "FINISHED"


class TimeoutError(Exception):
    pass


class Future:
    def __init__(self):
        self._condition = threading.Condition()
        self._state = PENDING
        self._result = None
        self._exception = None

    def __get_result(self):
        if self._exception:
            raise self._exception  # leak
        else:
            return self._result

    def result(self, timeout=None):
        with self._condition:
            if self._state == FINISHED:
                return self.__get_result()
            self._condition.wait(timeout)
            if self._state == FINISHED:
                return self.__get_result()
            raise TimeoutError()

    def exception(self, timeout=None):
        with self._condition:
            if self._state != FINISHED:
                self._condition.wait(timeout)
            return self._exception

    def set_result(self, result):
        with self._condition:
            self._result = result
            self._state = FINISHED
            self._condition.notify_all()

    def set_exception(self, exception):
        with self._condition:
            self._exception = exception
            self._state = FINISHED
            self._condition.notify_all()
