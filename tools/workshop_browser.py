"""Drive JupyterLab in headless Chromium as a learner would: open notebook 01, run its first cells.

    <venv>/bin/python tools/workshop_browser.py http://127.0.0.1:8888 TOKEN SCREENSHOT.png

tools/workshop_test.py runs it, in an environment made from tools/workshop-test.txt, against
JupyterLab in the workshop's container. The notebook's stored outputs are cleared first, so the
output read afterwards is the one the kernel printed now. Exits 1, saying what it saw, when the
output is not the expected one; the screenshot is taken either way.
"""

from __future__ import annotations

import argparse
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

# Debian's packages, named by path: Selenium then neither looks for nor downloads its own.
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
NOTEBOOK = "notebooks/01-ctypes.ipynb"
# Its fourth code cell calls the Rust library: add(2, 40), then hello_message().
CELLS = 4
EXPECTED = ["42", "'Hello from Rust!'"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("token")
    parser.add_argument("screenshot")
    args = parser.parse_args()

    options = Options()
    options.binary_location = CHROMIUM
    # --no-sandbox: Chromium's sandbox refuses to start as root, which CI is.
    for flag in ("--headless=new", "--no-sandbox", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        output = run_notebook(driver, f"{args.url}/lab/tree/{NOTEBOOK}?token={args.token}")
    finally:
        driver.save_screenshot(args.screenshot)
        driver.quit()
    print(f"Output of code cell {CELLS} of {NOTEBOOK}, read from the page:\n{output}")
    if output.splitlines()[:1] != EXPECTED[:1] or EXPECTED[1] not in output:
        print(f"Expected {EXPECTED[0]!r} and {EXPECTED[1]!r}.", file=sys.stderr)
        return 1
    return 0


def run_notebook(driver: webdriver.Chrome, url: str) -> str:
    driver.get(url)
    wait = WebDriverWait(driver, 120)
    cells = wait.until(lambda d: code_cells(d) if len(code_cells(d)) >= CELLS else False)
    # The notebook's own outputs are on the page until cleared: clear them, through the command
    # palette, as a learner would, and check that they are gone.
    palette(driver, "Clear Outputs of All Cells")
    wait.until(lambda d: not output_text(code_cells(d)[CELLS - 1]))
    # Shift+Enter runs the selected cell and selects the next: once per cell, from the first.
    cells[0].find_element(By.CSS_SELECTOR, ".jp-InputPrompt").click()
    for _ in range(CELLS):
        shift_enter(driver)
        time.sleep(0.5)  # lets JupyterLab move the selection before the next key
    # The kernel starts, then the cells run (the second builds stage 1: up to a few minutes).
    try:
        WebDriverWait(driver, 600).until(lambda d: EXPECTED[1] in output_text(code_cells(d)[3]))
    except TimeoutException:
        pass  # main() reports what the page shows
    return output_text(code_cells(driver)[CELLS - 1])


def code_cells(driver: webdriver.Chrome) -> list:
    return driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")


def output_text(cell) -> str:
    return "\n".join(o.text for o in cell.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output"))


def palette(driver: webdriver.Chrome, command: str) -> None:
    """Run a JupyterLab command by its label, from the palette (Ctrl+Shift+C)."""
    keys = ActionChains(driver).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("c")
    keys.key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
    field = WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".lm-CommandPalette-input")
    )
    field.send_keys(command)
    time.sleep(0.5)
    field.send_keys(Keys.ENTER)


def shift_enter(driver: webdriver.Chrome) -> None:
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()


if __name__ == "__main__":
    sys.exit(main())
