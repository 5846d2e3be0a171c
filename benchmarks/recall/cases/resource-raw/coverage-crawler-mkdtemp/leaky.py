"""Crawl a website with an instrumented Firefox build and collect code coverage."""
import os
import random
import subprocess
import tempfile


def crawl(driver, website, max_clicks=20):
    driver.get(website)
    for _ in range(max_clicks):
        links = driver.find_elements_by_tag_name("a")
        if not links:
            break
        random.choice(links).click()


def generate_report(data_dir, output):
    subprocess.check_call(["grcov", data_dir, "-t", "lcov", "-o", output])
    return output


def run(website, make_driver, output="report.info"):
    data_folder = tempfile.mkdtemp()  # leak
    env = dict(os.environ, GCOV_PREFIX=data_folder, GCOV_PREFIX_STRIP="5")
    driver = make_driver(env)
    try:
        crawl(driver, website)
    finally:
        driver.quit()
    return generate_report(data_folder, output)
