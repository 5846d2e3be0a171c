"""Runtime checking of Union annotations."""
from typing import Any, Dict, Tuple


class TypeCheckError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self._path = []

    def append_path_element(self, element: str) -> None:
        self._path.insert(0, element)

    def __str__(self) -> str:
        if self._path:
            return " of ".join(self._path) + " " + str(self.args[0])
        return str(self.args[0])


def get_type_name(type_: Any) -> str:
    return getattr(type_, "__name__", repr(type_))


def check_type_internal(value: Any, annotation: Any, memo: Any) -> None:
    if isinstance(annotation, type) and not isinstance(value, annotation):
        raise TypeCheckError(f"is not an instance of {get_type_name(annotation)}")


def check_union(value: Any, origin_type: Any, args: Tuple[Any, ...], memo: Any) -> None:
    errors: Dict[str, TypeCheckError] = {}
    try:
        for type_ in args:
            try:
                check_type_internal(value, type_, memo)
                return
            except TypeCheckError as exc:
                errors[get_type_name(type_)] = exc

        formatted_errors = "\n".join(f"  {name}: {error}" for name, error in errors.items())
    finally:
        del errors  # avoid a reference cycle through the stored exceptions

    raise TypeCheckError(f"did not match any element in the union:\n{formatted_errors}")
