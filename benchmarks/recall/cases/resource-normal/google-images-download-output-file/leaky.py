"""Download the images found for a search into a folder."""
import os
from urllib.request import Request, urlopen

HEADERS = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/64.0 Safari/537.36"}


def image_name_from_url(image_url):
    name = image_url.rsplit("/", 1)[-1].split("?", 1)[0]
    return name or "image.jpg"


def download_image(image_url, main_directory, dir_name, count, prefix="", timeout=10):
    try:
        req = Request(image_url, headers=HEADERS)
        response = urlopen(req, None, timeout)
        data = response.read()
        response.close()
        image_name = image_name_from_url(image_url)
        path = os.path.join(main_directory, dir_name, f"{prefix}{count}. {image_name}")
        output_file = open(path, "wb")  # leak
        output_file.write(data)
        return "success", f"Completed Image ====> {prefix}{count}. {image_name}", path
    except OSError as e:
        return "fail", f"IOError on an image...trying next one... Error: {e}", None


def download_all(urls, main_directory, dir_name):
    os.makedirs(os.path.join(main_directory, dir_name), exist_ok=True)
    paths = []
    for count, url in enumerate(urls, start=1):
        status, message, path = download_image(url, main_directory, dir_name, count)
        print(message)
        if status == "success":
            paths.append(path)
    return paths
