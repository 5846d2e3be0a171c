"""Scan jar/war archives, recursing into nested archives, for a vulnerable class."""
import os
import zipfile

TARGET_CLASS = "org/springframework/beans/CachedIntrospectionResults.class"
ARCHIVE_SUFFIXES = (".jar", ".war", ".ear", ".zip")


def acceptable_filename(name):
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def report(rel_path, silent_mode):
    if not silent_mode:
        print(f"[!] vulnerable class found in {rel_path}")


def test_file(file, rel_path, silent_mode):
    try:
        with zipfile.ZipFile(file) as jarfile:
            if TARGET_CLASS in jarfile.namelist():
                report(rel_path, silent_mode)
            zip_file(jarfile, rel_path, silent_mode)
    except zipfile.BadZipFile:
        pass


def zip_file(jarfile, rel_path, silent_mode):
    for file_name in jarfile.namelist():
        if acceptable_filename(file_name):
            next_file = jarfile.open(file_name, "r")  # leak
            test_file(next_file, os.path.join(rel_path, file_name), silent_mode)


def scan_tree(root, silent_mode=False):
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if acceptable_filename(name):
                path = os.path.join(dirpath, name)
                test_file(path, path, silent_mode)
