"""Drive JupyterLab in headless Chromium as a learner would: open notebook 01 and run its cells.

    <venv>/bin/python tools/workshop_browser.py http://127.0.0.1:8888 TOKEN SCREENSHOT.png

tools/workshop_test.py runs it, in an environment made from tools/workshop-test.txt, against
JupyterLab in the workshop's container, through its menus. The notebook's stored outputs are
cleared first, so the output read afterwards is the one the kernel printed now. Exits 1, saying
what it saw, when the output is not the expected one; the screenshot is taken either way.
"""

from __future__ import annotations

import argparse
import sys

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
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
    WebDriverWait(driver, 120).until(lambda d: len(code_cells(d)) > CELLS)
    # The notebook's stored outputs are on the page until cleared: clear them from the Edit menu,
    # as a learner would, and check that they are gone.
    menu(driver, "Edit", "Clear Outputs of All Cells")
    WebDriverWait(driver, 30).until(lambda d: not output_text(code_cells(d)[CELLS - 1]))
    # The cell after them selected, Run > Run All Above Selected Cell: the kernel starts, then
    # the cells run in order (the second builds stage 1).
    after = code_cells(driver)[CELLS].find_element(By.CSS_SELECTOR, ".jp-InputPrompt")
    driver.execute_script("arguments[0].scrollIntoView()", after)
    after.click()
    menu(driver, "Run", "Run All Above Selected Cell")
    try:
        WebDriverWait(driver, 600).until(
            lambda d: EXPECTED[1] in output_text(code_cells(d)[CELLS - 1])
        )
    except TimeoutException:
        pass  # main() reports what the page shows
    cell = code_cells(driver)[CELLS - 1]
    driver.execute_script("arguments[0].scrollIntoView()", cell)  # for the screenshot
    return output_text(cell)


def code_cells(driver: webdriver.Chrome) -> list:
    return driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")


def output_text(cell) -> str:
    """The cell's output as the page holds it (textContent: .text is only what is on screen)."""
    outputs = cell.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output")
    return "\n".join(o.get_attribute("textContent").strip() for o in outputs)


def menu(driver: webdriver.Chrome, name: str, item: str) -> None:
    """Click a menu of JupyterLab's menu bar, then one of its items, both by their labels."""
    wait = WebDriverWait(driver, 30)
    label = f"//div[contains(@class, 'lm-MenuBar-itemLabel') and normalize-space()='{name}']"
    wait.until(lambda d: d.find_element(By.XPATH, label)).click()
    entry = f"//div[contains(@class, 'lm-Menu-itemLabel') and normalize-space()='{item}']"
    wait.until(lambda d: d.find_element(By.XPATH, entry)).click()
    # The menu closes once the command has been sent; a click before that would land in it.
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".lm-Menu"))
    print(f"  {name} > {item}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
