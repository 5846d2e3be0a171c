"""NLP processors that can run their work in a process pool."""
import sys
from abc import ABC, abstractmethod
from weakref import WeakValueDictionary


def subproc_call_instance_function(instance_id, func_name, *args, **kwargs):
    """Entry point used by worker processes to reach a processor."""
    try:
        instance = Processor.instance_map[instance_id]
        return getattr(instance, func_name)(*args, **kwargs)
    except Exception:
        sys.exit(1)


class Processor(ABC):
    instance_map = WeakValueDictionary()

    def __init__(self, app_path, resource_loader):
        self._app_path = app_path
        self.resource_loader = resource_loader
        Processor.instance_map[id(self)] = self

    @abstractmethod
    def process_query(self, query):
        raise NotImplementedError

    def process(self, text):
        return self.process_query(self.resource_loader.query_factory.create_query(text))
