#!/usr/bin/env python3
"""Renders an HTML report of soc-stats in headless Chromium (Debian's chromium and
chromium-driver, driven by selenium) at several viewport widths, takes a full-page screenshot
at each, and prints what it measured as one JSON object per width:

  {"width": 420, "inner_width": 420, "scroll_width": 420, "charts": 23,
   "unlabelled": [], "screenshot": "out/report-420.png"}

`scroll_width` > `inner_width` means the page overflows horizontally; `unlabelled` lists the
charts (their aria-label) lacking an x or y axis title or tick labels. The test
(Tests/ToolTests/StatsReportBrowserTests.swift) asserts on these; the script only measures.

  report-layout.py REPORT.html OUT_DIR [WIDTH ...]     (widths default to 420 1280)
"""
import base64
import json
import os
import pathlib
import shutil
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

MEASURE = """
const d = document.documentElement;
const charts = [...document.querySelectorAll('svg.chart')];
const unlabelled = charts.filter(s => {
  const x = s.querySelector('.x-label'), y = s.querySelector('.y-label');
  return !(x && x.textContent.trim() && y && y.textContent.trim() && s.querySelectorAll('.tick').length >= 2);
}).map(s => s.getAttribute('aria-label'));
return {inner_width: window.innerWidth, scroll_width: d.scrollWidth, height: d.scrollHeight,
        charts: charts.length, unlabelled: unlabelled};
"""


def main():
    report = pathlib.Path(sys.argv[1]).resolve()
    out_dir = pathlib.Path(sys.argv[2])
    widths = [int(w) for w in sys.argv[3:]] or [420, 1280]
    out_dir.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    try:
        for width in widths:
            # The window of headless Chromium is at least 500 px wide; the device metrics set
            # the viewport itself, so 420 px is a real 420 px layout.
            metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            driver.get(report.as_uri())
            result = driver.execute_script(MEASURE)
            metrics["height"] = min(int(result.pop("height")), 16000)
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
            path = out_dir / f"{report.stem}-{width}.png"
            path.write_bytes(base64.b64decode(shot["data"]))
            result.update({"width": width, "screenshot": os.fspath(path)})
            print(json.dumps(result, sort_keys=True), flush=True)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
