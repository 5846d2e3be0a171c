"""Check online for a newer release and an updated winapp2.ini."""
import hashlib
import platform

import requests

UPDATE_URL = "https://update.bleachbit.org/update/{version}"
APP_VERSION = "4.2.0"


def user_agent():
    return f"BleachBit/{APP_VERSION} ({platform.system()}; {platform.release()})"


def update_winapp2(session, url, expected_sha512, dest_path, append_text):
    response = session.get(url, timeout=20)
    response.raise_for_status()
    if hashlib.sha512(response.content).hexdigest() != expected_sha512:
        append_text("winapp2.ini checksum mismatch")
        return
    with open(dest_path, "wb") as f:
        f.write(response.content)
    append_text("New winapp2.ini was downloaded.")


def check_updates(check_beta, check_winapp2, winapp2_path, append_text):
    with requests.Session() as session:
        session.headers["User-Agent"] = user_agent()
        try:
            response = session.get(UPDATE_URL.format(version=APP_VERSION), timeout=20)
            response.raise_for_status()
        except requests.RequestException as e:
            append_text(f"Error when opening a network connection to check for updates: {e}")
            return ()
        doc = response.json()
        updates = [doc["stable"]]
        if check_beta and doc.get("beta"):
            updates.append(doc["beta"])
        if check_winapp2 and doc.get("winapp2"):
            update_winapp2(session, doc["winapp2"]["url"], doc["winapp2"]["sha512"], winapp2_path, append_text)
        return tuple(updates)
