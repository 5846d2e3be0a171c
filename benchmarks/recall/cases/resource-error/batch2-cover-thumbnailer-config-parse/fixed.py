"""Configuration of the folder-cover thumbnailer."""
import os
import urllib.parse

GTK_BOOKMARKS = os.path.expanduser("~/.config/gtk-3.0/bookmarks")
USER_CONF = os.path.expanduser("~/.config/cover-thumbnailer/cover-thumbnailer.conf")


class Conf(dict):
    def __init__(self):
        super().__init__()
        self["music_enabled"] = True
        self["music_paths"] = []
        self["pictures_enabled"] = True
        self["ignored_paths"] = []
        self.read_gtk_bookmarks()
        self.read_user_config()

    def read_gtk_bookmarks(self):
        if not os.path.isfile(GTK_BOOKMARKS):
            return
        with open(GTK_BOOKMARKS, "r") as bookmarks_file:
            for line in bookmarks_file:
                uri = line.split(" ", 1)[0].strip()
                if uri.startswith("file://"):
                    path = urllib.parse.unquote(uri[len("file://"):])
                    if os.path.basename(path).lower() == "music":
                        self["music_paths"].append(path)

    def read_user_config(self):
        if not os.path.isfile(USER_CONF):
            return
        with open(USER_CONF, "r") as conf_file:
            for line in conf_file:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                key, value = line.split("=", 1)
                key, value = key.strip(), value.strip()
                if key.endswith("_enabled"):
                    self[key] = {"true": True, "false": False}[value.lower()]
                elif key.endswith("_paths"):
                    self[key] = [p for p in value.split(":") if p]
