#!/usr/bin/python3
"""Load a report's index.html in headless Chromium through the DevTools protocol, take a
full-page screenshot, and fail on any console message, uncaught exception or failed load.

    /usr/bin/python3 tools/report_browser_check.py RUN/report/index.html OUT.png

Needs Debian's chromium and python3-websocket (`make report-browser-check` installs both).
"""
import base64, json, os, shutil, subprocess, sys, tempfile, time, urllib.request

import websocket


def main():
    index, png = sys.argv[1], sys.argv[2]
    if not os.path.isfile(index):
        sys.exit(f"report-browser-check: {index}: no such file")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("report-browser-check: chromium is not installed")
    url = "file://" + os.path.abspath(index)
    profile = tempfile.mkdtemp()
    port = 9300 + os.getpid() % 500
    # --no-sandbox: Chromium refuses to run as root otherwise (CI containers run as root).
    chrome = subprocess.Popen([browser, "--headless=new", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                               f"--remote-debugging-port={port}", "--window-size=1400,1000", "about:blank"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        target = None
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2))
                target = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.2)
        if target is None:
            sys.exit("report-browser-check: chromium did not start")
        ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60)
        counter = [0]

        def send(method, **params):
            counter[0] += 1
            ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
            return counter[0]

        problems = []

        def pump(until_id=None, until_event=None, deadline=60):
            end = time.time() + deadline
            while time.time() < end:
                message = json.loads(ws.recv())
                method = message.get("method")
                if method == "Runtime.consoleAPICalled":
                    args = " ".join(str(a.get("value", a.get("description", ""))) for a in message["params"]["args"])
                    problems.append(f"console.{message['params']['type']}: {args}")
                elif method == "Runtime.exceptionThrown":
                    problems.append("exception: " + message["params"]["exceptionDetails"].get("text", ""))
                elif method == "Log.entryAdded":
                    entry = message["params"]["entry"]
                    problems.append(f"{entry['level']} ({entry['source']}): {entry['text']} {entry.get('url', '')}")
                if until_id is not None and message.get("id") == until_id:
                    return message
                if until_event is not None and method == until_event:
                    return message
            sys.exit(f"report-browser-check: timed out waiting for {until_event or until_id}")

        for method in ("Runtime.enable", "Log.enable", "Page.enable"):
            pump(until_id=send(method))
        send("Page.navigate", url=url)
        pump(until_event="Page.loadEventFired")
        metrics = pump(until_id=send("Page.getLayoutMetrics"))["result"]
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = pump(until_id=send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                  clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}))
        with open(png, "wb") as f:
            f.write(base64.b64decode(shot["result"]["data"]))
        ws.close()
        if problems:
            print("\n".join(problems), file=sys.stderr)
            sys.exit(f"report-browser-check: {len(problems)} console message(s) while loading {url}")
        print(f"report-browser-check: {url} loaded without console messages; "
              f"screenshot {png} ({int(size['width'])}×{int(size['height'])} px)")
    finally:
        chrome.terminate()
        chrome.wait(timeout=20)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
