"""The caught exception is only used inside its except block (logged and chained with raise from); Python unbinds the name when the block ends, so nothing keeps the traceback."""
import json
import logging
from pathlib import Path
from typing import Any, Dict

logger = logging.getLogger(__name__)


class ConfigError(Exception):
    pass


def load_config(path: Path) -> Dict[str, Any]:
    try:
        with path.open("r", encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        logger.info("no config at %s, using defaults", path)
        return {}
    except json.JSONDecodeError as exc:
        logger.warning("invalid config %s: line %d: %s", path, exc.lineno, exc.msg)
        raise ConfigError(f"cannot parse {path}") from exc
