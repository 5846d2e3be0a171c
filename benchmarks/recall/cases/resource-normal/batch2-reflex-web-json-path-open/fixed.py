"""Checks run before compiling the frontend of an app."""
import json
from pathlib import Path

WEB_DIR = ".web"
REFLEX_JSON = "reflex.json"


def get_web_dir():
    return Path.cwd() / WEB_DIR


def get_app_version():
    """Version of reflex that last initialised the .web directory, if any."""
    json_file = get_web_dir() / REFLEX_JSON
    if not json_file.exists():
        return None
    app_version = json.loads(json_file.read_text()).get("version")
    return app_version


def needs_reinit(current_version):
    app_version = get_app_version()
    if app_version is None:
        return True
    if app_version != current_version:
        print(f"Re-initialising .web (was {app_version}, now {current_version})")
        return True
    return False
