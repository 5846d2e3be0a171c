"""Dependency-resolving runner: evaluates components and records their results."""
import logging
import traceback
from collections import defaultdict

log = logging.getLogger(__name__)


class SkipComponent(Exception):
    pass


class Broker:
    def __init__(self) -> None:
        self.instances = {}
        self.exceptions = defaultdict(list)
        self.tracebacks = {}

    def add_exception(self, component, ex, tb=None) -> None:
        self.exceptions[component].append(ex)
        self.tracebacks[ex] = tb

    def __setitem__(self, component, value) -> None:
        self.instances[component] = value


def get_registry_points(component) -> list:
    return list(getattr(component, "registry_points", []))


def run_components(ordered_components, broker: Broker) -> Broker:
    for component in ordered_components:
        try:
            args = [broker.instances.get(dep) for dep in getattr(component, "dependencies", [])]
            broker[component] = component(*args)
        except SkipComponent:
            pass
        except Exception as ex:
            tb = traceback.format_exc()
            log.warning(tb)
            broker.add_exception(component, ex, tb)  # leak
            for reg_spec in get_registry_points(component):
                broker.add_exception(reg_spec, ex, tb)  # leak
    return broker
