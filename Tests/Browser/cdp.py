"""A small Chrome DevTools Protocol client over a pipe (Python standard library only).

Chromium started with --remote-debugging-pipe reads NUL-terminated JSON commands on file descriptor 3 and writes
responses and events on descriptor 4: no WebSocket library, no driver binary whose version must match the
browser, no network. Only what the studio's browser tests use is here.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time


class CDPError(Exception):
    pass


class Browser:
    """Headless Chromium with one page attached."""

    def __init__(self, width=1280, height=860, log_path=None):
        executable = shutil.which("chromium") or shutil.which("chromium-browser")
        if not executable:
            raise CDPError("chromium is not installed (scripts/install-deps.sh installs it for make test)")
        self.profile = tempfile.mkdtemp(prefix="tunesmith-chromium-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def attach_pipes():
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        arguments = [
            executable, "--headless", "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--metrics-recording-only", "--mute-audio",
            "--autoplay-policy=no-user-gesture-required", "--hide-scrollbars", f"--window-size={width},{height}",
            "about:blank",
        ]
        if os.geteuid() == 0:
            arguments.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self._log = open(log_path or os.devnull, "wb")
        self.process = subprocess.Popen(
            arguments, pass_fds=(3, 4), preexec_fn=attach_pipes, stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=self._log)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.console_errors = []
        self.session = None
        targets = self.send("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "DOM"):
            self.send(f"{domain}.enable")

    # ------------------------------------------------------------------ protocol

    def send(self, method, params=None, timeout=30):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply is None:
                raise CDPError(f"{method}: no answer within {timeout} s")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self._event(reply)

    def pump(self, seconds=0.0):
        """Handles the events that arrive within `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            reply = self._read(deadline)
            if reply is None:
                return
            self._event(reply)

    def _read(self, deadline):
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise CDPError("chromium closed the pipe (it crashed or exited)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _event(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text")
            self.console_errors.append(f"uncaught: {text}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.console_errors.append("console.error: " + " ".join(
                str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.console_errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())

    # ------------------------------------------------------------------ page helpers

    def navigate(self, url):
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete'", what=f"{url} to load")

    def evaluate(self, expression, await_promise=True):
        result = self.send("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": await_promise, "userGesture": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CDPError(f"evaluating {expression[:80]!r}: {text}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=20, what=None, interval=0.1):
        """Polls `expression` until it is truthy as JavaScript sees it; returns its value. (An element comes back
        as an empty dict, which Python would call false.)"""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.evaluate(expression)
            if isinstance(last, (dict, list)) or last:
                return last
            self.pump(interval)
        raise CDPError(f"timed out after {timeout} s waiting for {what or expression} (last value: {last!r})")

    def insert_text(self, selector, text):
        """Focuses the element and types `text` as the keyboard would (input events included)."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", {"text": text})

    def press(self, key, code=None, key_code=None):
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {
                "type": kind, "key": key, "code": code or key, "windowsVirtualKeyCode": key_code or 0})

    def set_files(self, selector, paths):
        document = self.send("DOM.getDocument", {"depth": 0})
        node = self.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector})
        if not node.get("nodeId"):
            raise CDPError(f"no element matches {selector}")
        self.send("DOM.setFileInputFiles", {"nodeId": node["nodeId"], "files": paths})

    def viewport(self, width, height, mobile=False, dark=False):
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.send("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})

    def screenshot(self, path, full_page=False):
        params = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            metrics = self.send("Page.getLayoutMetrics")
            size = metrics["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 4000), "scale": 1}
        data = self.send("Page.captureScreenshot", params)["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except CDPError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
