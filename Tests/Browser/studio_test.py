#!/usr/bin/env python3
"""Browser tests of the studio page: the real `tunesmith serve` binary on loopback, headless Chromium from Debian.

    python3 Tests/Browser/studio_test.py [--binary .build/debug/tunesmith] [--out .build/browser-tests]

A person's path through the page, each step checked on the DOM (not only photographed): sign in with the printed
link, a 400 shown at its field, create a short song and watch it complete, play it (duration and currentTime),
the sung line highlighted and moving, downloads, cancel a second song, an image uploaded for lyria and used, the
stems download and an extension. Screenshots of each state go to the output folder.
Ends with the line `N passed, N failed`; exits non-zero when anything failed.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
import zlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from cdp import Browser, CDPError  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
SONG_PROMPT = "a warm acoustic folk song with a female vocal about the sea, 20 seconds"


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def png(width, height, pixel):
    """A real PNG (RGB, no filter) whose pixel colour comes from pixel(x, y)."""
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


class Server:
    """`tunesmith serve` on a free loopback port with a fresh data dir; the first-run banner gives the link."""

    def __init__(self, binary, folder):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TUNESMITH_")}
        environment["TUNESMITH_SOUNDFONT"] = os.environ.get(
            "TUNESMITH_TEST_SOUNDFONT", "/usr/share/sounds/sf2/TimGM6mb.sf2")
        self.stdout_path = folder / "serve.stdout"
        self.stderr_path = folder / "serve.stderr"
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(folder / "data"),
             "--workers", "1"],
            env=environment, stdin=subprocess.DEVNULL, stdout=open(self.stdout_path, "wb"),
            stderr=open(self.stderr_path, "wb"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited early:\n{self.stderr_path.read_text()}")
            match = re.search(r"^(http://\S+/#token=\S+)$", self.stdout_path.read_text(), re.M)
            if match and self._answers():
                self.link = match.group(1)
                self.token = urllib.request.unquote(self.link.split("#token=", 1)[1])
                return
            time.sleep(0.1)
        raise RuntimeError("serve did not print the studio link within 60 s")

    def _answers(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class StudioTests:
    def __init__(self, browser, server, out, work):
        self.browser = browser
        self.server = server
        self.out = out
        self.work = work
        self.results = []
        self.song = None  # audio_id of the finished song

    # ------------------------------------------------------------------ helpers

    def js(self, expression):
        return self.browser.evaluate(expression)

    def wait(self, expression, timeout=20, what=None):
        return self.browser.wait_for(expression, timeout=timeout, what=what)

    def shot(self, name, full_page=False):
        self.browser.screenshot(str(self.out / f"{name}.png"), full_page=full_page)

    def card(self, audio_id):
        return f"document.querySelector('li.track[data-audio-id={json.dumps(json.dumps(audio_id))[1:-1]}]')"

    def newest_card_id(self, other_than=()):
        ids = self.js("[...document.querySelectorAll('li.track')].map(li => li.dataset.audioId)")
        fresh = [i for i in ids if i not in other_than]
        return fresh[0] if fresh else None

    def create(self, prompt, model=None):
        """Fills the form and presses Create; returns the new card's audio id."""
        before = set(self.js("[...document.querySelectorAll('li.track')].map(li => li.dataset.audioId)"))
        if model:
            self.js(f"(() => {{ const s = document.getElementById('model'); s.value = {json.dumps(model)};"
                    " s.dispatchEvent(new Event('change')); })()")
        self.js("document.getElementById('prompt').value = ''")
        self.browser.insert_text("#prompt", prompt)
        self.js("document.getElementById('create-button').click()")
        self.wait("[...document.querySelectorAll('li.track')].length > " + str(len(before)), what="the new song's card")
        return self.newest_card_id(before)

    def run(self, name, step):
        started = time.monotonic()
        try:
            step()
            self.results.append((name, "passed", ""))
            print(f"PASS {name} ({time.monotonic() - started:.1f} s)", flush=True)
        except Exception as error:  # a failed check, a timeout, a browser error
            self.results.append((name, "failed", str(error)))
            print(f"FAIL {name}: {error}", flush=True)
            traceback.print_exc(limit=3)
            try:
                self.shot(f"failed-{re.sub(r'[^a-z0-9]+', '-', name.lower())}")
            except CDPError:
                pass

    # ------------------------------------------------------------------ the steps

    def sign_in_page(self):
        self.browser.navigate(self.server.base + "/")
        self.wait("!document.getElementById('signin-view').hidden", what="the sign-in form")
        assert self.js("document.activeElement.id") == "token", "the token field has the focus"
        # A wrong token is refused at the field, not with a broken page.
        self.browser.insert_text("#token", "user:nobody-xyz")
        self.js("document.getElementById('signin-form').requestSubmit()")
        self.wait("!document.getElementById('token-error').hidden", what="the token error")
        assert "not accepted" in self.js("document.getElementById('token-error').textContent")
        self.js("document.getElementById('token').value = ''; document.getElementById('token-error').hidden = true")
        self.shot("01-sign-in")

    def sign_in_with_printed_link(self):
        self.browser.navigate(self.server.link)
        self.wait("!document.getElementById('studio-view').hidden", what="the studio after the link")
        assert self.js("location.hash") == "", "the token is removed from the address bar"
        assert self.js("localStorage.getItem('tunesmith.token')") == self.server.token, "the token is kept"
        models = self.js("[...document.getElementById('model').options].map(o => o.value)")
        assert models == ["music-2.6", "music-v1", "lyria-3-pro-preview"], models
        assert "2,000" in self.js("document.getElementById('prompt-counter').textContent")
        self.wait("document.getElementById('live-status').dataset.state === 'live'", what="the live stream")
        # Every visible control has a name a screen reader can read.
        unlabeled = self.js("""[...document.querySelectorAll('input, select, textarea, button')]
            .filter(e => e.offsetParent !== null || e.type === 'file')
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
            .map(e => e.id || e.outerHTML.slice(0, 60))""")
        assert not unlabeled, f"controls without a label: {unlabeled}"
        # Reloading keeps the sign-in (localStorage).
        self.browser.navigate(self.server.base + "/")
        self.wait("!document.getElementById('studio-view').hidden", what="the studio after a reload")

    def error_at_its_field(self):
        self.js("document.getElementById('prompt').value = ''")
        self.browser.insert_text("#prompt", "la " * 700)
        assert self.js("document.getElementById('prompt-counter').classList.contains('over')"), "counter shows over"
        self.js("document.getElementById('create-button').click()")
        message = self.wait("!document.getElementById('prompt-error').hidden"
                            " && document.getElementById('prompt-error').textContent", what="the prompt's 400")
        assert "at most 2000 characters" in message.lower(), message
        assert self.js("document.getElementById('prompt').getAttribute('aria-invalid')") == "true"
        assert self.js("document.activeElement.id") == "prompt", "the field with the error has the focus"
        assert self.js("document.getElementById('form-error').hidden"), "the message is at the field, not the form"
        self.shot("02-error-at-field")

    def create_and_watch_it_complete(self):
        self.js("document.getElementById('stems').checked = true")  # ignored by servers without stems
        self.js("document.getElementById('seed').value = '20261224'")
        audio_id = self.create(SONG_PROMPT)
        card = self.card(audio_id)
        assert self.js("document.getElementById('prompt-error').hidden"), "the old error is cleared"
        self.wait(f"{card}.dataset.status === 'GENERATING' && {card}.querySelector('progress').value >= 0",
                  timeout=60, what="the song to start generating")
        self.wait(f"{card}.querySelector('[data-role=status-text]').textContent.includes('elapsed')",
                  what="the elapsed time")
        # A picture with some progress, unless the song is done before the first heartbeat.
        self.wait(f"{card}.dataset.status === 'COMPLETED' || {card}.querySelector('progress').value > 0",
                  timeout=60, what="progress")
        if self.js(f"{card}.dataset.status") == "GENERATING":
            self.shot("03-generating")
        self.wait(f"{card}.dataset.status === 'COMPLETED'", timeout=180, what="the song to complete")
        assert self.js("document.getElementById('live-status').dataset.state") == "live"
        title = self.js(f"{card}.querySelector('.track-title').textContent")
        assert title and title != "New song", f"the card shows the song's title, got {title!r}"
        facts = self.js(f"{card}.querySelector('.facts').textContent")
        assert "bpm" in facts and "seed 20261224" in facts, facts
        self.song = audio_id

    def play_it(self):
        if not self.song:
            raise AssertionError("no finished song (an earlier step failed)")
        card = self.card(self.song)
        track = self.js(f"fetch('v2/pixverse/music/' + encodeURIComponent({json.dumps(self.song)}),"
                        " { headers: { Authorization: 'Bearer ' + localStorage.getItem('tunesmith.token') } })"
                        ".then(r => r.json())")
        self.js(f"{card}.querySelector('audio').play()")
        self.wait(f"{card}.querySelector('audio').currentTime > 1.5", timeout=30, what="playback to advance")
        duration = self.js(f"{card}.querySelector('audio').duration")
        assert abs(duration - track["duration"]) <= 1.5, f"audio reports {duration} s, the track says {track['duration']} s"
        assert 12 <= duration <= 40, f"a '20 seconds' song lasts {duration} s"
        first = self.wait(f"{card}.querySelector('.lyrics p.current') && {card}.querySelector('.lyrics p.current').dataset.time",
                          timeout=30, what="a highlighted lyric line")
        self.shot("04-playing")
        # Later in the song, a later line is sung: jump to the last line's time.
        times = self.js(f"[...{card}.querySelectorAll('.lyrics p[data-time]')].map(p => Number(p.dataset.time))")
        assert len(times) >= 2 and times == sorted(times), f"the sung lines and their times: {times}"
        self.js(f"{card}.querySelector('audio').currentTime = {times[-1] + 0.05}")
        later = self.wait(f"(() => {{ const p = {card}.querySelector('.lyrics p.current');"
                          f" return p && Number(p.dataset.time) === {times[-1]} && p.dataset.time; }})()",
                          timeout=20, what="the highlight to move to the last line")
        assert float(later) > float(first), f"the highlight moved from {first} to {later}"
        assert self.js(f"{card}.querySelectorAll('.lyrics p.current').length") == 1, "one line is highlighted"
        self.js(f"{card}.querySelector('audio').pause()")
        self.shot("05-lyrics-follow")

    def downloads(self):
        if not self.song:
            raise AssertionError("no finished song (an earlier step failed)")
        card = self.card(self.song)
        kinds = self.js(f"[...{card}.querySelectorAll('a.download')].map(a => a.dataset.kind)")
        for kind in ("MP3", "MIDI", "Song sheet", "LRC"):
            assert kind in kinds, f"{kind} download missing: {kinds}"
        mp3 = self.js(f"fetch({card}.querySelector('a.download[data-kind=MP3]').href)"
                      ".then(r => [r.status, r.headers.get('content-type')])")
        assert mp3 == [200, "audio/mpeg"], mp3

    def cancel_a_second_song(self):
        audio_id = self.create("a slow ambient piece with soft pads, 3 minutes")
        card = self.card(audio_id)
        self.wait(f"['QUEUED', 'GENERATING'].includes({card}.dataset.status)", what="the second song to run")
        self.js(f"{card}.querySelector('button.danger').click()")
        self.wait(f"{card}.dataset.status === 'CANCELLED'", timeout=30, what="the song to show as cancelled")
        assert "Cancelled" in self.js(f"{card}.querySelector('.badge').textContent")
        self.shot("06-cancelled")

    def upload_an_image_for_lyria(self):
        image = self.work / "sunset.png"
        image.write_bytes(png(96, 64, lambda x, y: (250, 120 + y, 40 + x // 3)))
        self.js("(() => { const s = document.getElementById('model'); s.value = 'lyria-3-pro-preview';"
                " s.dispatchEvent(new Event('change')); })()")
        assert not self.js("document.getElementById('images-field').hidden"), "lyria shows the images field"
        assert self.js("document.getElementById('lyrics').disabled"), "lyria takes no custom lyrics"
        self.browser.set_files("#images", [str(image)])
        path = self.wait("(() => { const t = document.querySelector('#thumbs li[data-state=ready]');"
                         " return t && t.dataset.path; })()", what="the uploaded thumbnail")
        assert re.fullmatch(r"upload/[0-9a-f-]+\.png", path), path
        assert self.js("document.querySelector('#thumbs img').naturalWidth") == 96, "the thumbnail shows the image"
        self.js("document.getElementById('thumbs').scrollIntoView({ block: 'center' })")
        self.shot("07-lyria-image")
        audio_id = self.create("a bright song, 20 seconds")
        track = self.js(f"fetch('v2/pixverse/music/' + encodeURIComponent({json.dumps(audio_id)}),"
                        " { headers: { Authorization: 'Bearer ' + localStorage.getItem('tunesmith.token') } })"
                        ".then(r => r.json())")
        assert track["model"] == "lyria-3-pro-preview" and track.get("image_paths") == [path], track
        # Not needed to the end: free the worker for the next steps.
        self.js(f"{self.card(audio_id)}.querySelector('button.danger').click()")
        self.wait(f"{self.card(audio_id)}.dataset.status === 'CANCELLED'", timeout=30, what="the lyria song to cancel")
        self.js("document.querySelector('.thumb-remove').click()")
        assert self.js("document.querySelectorAll('#thumbs li').length") == 0, "the image can be removed"
        self.js("(() => { const s = document.getElementById('model'); s.value = 'music-2.6';"
                " s.dispatchEvent(new Event('change')); })()")
        assert self.js("document.getElementById('images-field').hidden"), "music-2.6 takes no images"

    def stems(self):
        if not self.song:
            raise AssertionError("no finished song (an earlier step failed)")
        has_link = self.js(f"!!{self.card(self.song)}.querySelector('a.download[data-kind=Stems]')")
        assert has_link, "a song created with Stems checked offers the stems download"
        href = self.js(f"{self.card(self.song)}.querySelector('a.download[data-kind=Stems]').href")
        status = self.js(f"fetch({json.dumps(href)}, {{ method: 'HEAD' }}).then(r => r.status)")
        assert status == 200, f"stems link answers {status}"

    def extend(self):
        if not self.song:
            raise AssertionError("no finished song (an earlier step failed)")
        card = self.card(self.song)
        before = set(self.js("[...document.querySelectorAll('li.track')].map(li => li.dataset.audioId)"))
        self.js(f"[...{card}.querySelectorAll('button')].find(b => b.textContent.startsWith('Extend')).click()")
        self.wait(f"{card}.querySelector('.extend-form')", what="the extend form")
        self.browser.insert_text(f"#extend-prompt-{self.song.split(':')[-1]}", "a last quiet chorus")
        self.js(f"{card}.querySelector('.extend-form').requestSubmit()")
        self.wait(f"[...document.querySelectorAll('li.track')].length > {len(before)}", timeout=20,
                  what="the extension's card")
        new_id = self.newest_card_id(before)
        self.shot("08-extend")
        self.js(f"{self.card(new_id)}.querySelector('button.danger') && {self.card(new_id)}.querySelector('button.danger').click()")

    def looks(self):
        """Desktop and phone, light and dark: for people to look at (docs/studio.md). On a phone the songs are
        below the form; those shots show the finished song."""
        for name, width, height, mobile, dark in (
                ("desktop-light", 1280, 860, False, False), ("desktop-dark", 1280, 860, False, True),
                ("phone-light", 390, 844, True, False), ("phone-dark", 390, 844, True, True)):
            self.browser.viewport(width, height, mobile=mobile, dark=dark)
            self.browser.pump(0.3)
            overflow = self.js("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name}: the page is {overflow} px wider than the screen"
            self.js("window.scrollTo(0, 0)")
            if mobile and self.song:
                self.js(f"{self.card(self.song)}.scrollIntoView({{ block: 'start' }})")
            self.shot(f"look-{name}")
        self.browser.viewport(1280, 860)

    def no_console_errors(self):
        self.browser.pump(0.2)
        # The wrong token (401) and the too-long prompt (400) were sent on purpose; any other failed load, script
        # error or CSP violation is a fault.
        errors = [e for e in self.browser.console_errors
                  if not re.search(r"Failed to load resource: the server responded with a status of 40[01] ", e)]
        assert not errors, "the page logged errors (CSP violations show up here too):\n" + "\n".join(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "debug" / "tunesmith"))
    parser.add_argument("--out", default=str(ROOT / ".build" / "browser-tests"))
    arguments = parser.parse_args()
    out = pathlib.Path(arguments.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="tunesmith-browser-"))
    server = browser = None
    tests = None
    try:
        server = Server(arguments.binary, work)
        browser = Browser(log_path=str(out / "chromium.log"))
        tests = StudioTests(browser, server, out, work)
        for name, step in (
                ("sign-in page refuses a wrong token", tests.sign_in_page),
                ("the printed link signs in", tests.sign_in_with_printed_link),
                ("a 400 message is shown at its field", tests.error_at_its_field),
                ("create a song and watch it complete", tests.create_and_watch_it_complete),
                ("play it: duration, currentTime, lyrics highlight", tests.play_it),
                ("downloads", tests.downloads),
                ("cancel a second song", tests.cancel_a_second_song),
                ("upload an image for lyria and use it", tests.upload_an_image_for_lyria),
                ("stems download", tests.stems),
                ("extend a song", tests.extend),
                ("phone and desktop, light and dark", tests.looks),
                ("no errors in the console", tests.no_console_errors)):
            tests.run(name, step)
    except Exception as error:
        print(f"FAIL setting up the browser tests: {error}", flush=True)
        traceback.print_exc()
        if server:
            print(server.stderr_path.read_text()[-3000:])
        results = (tests.results if tests else []) + [("setup", "failed", str(error))]
    else:
        results = tests.results
    finally:
        if browser:
            browser.close()
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    counts = {kind: sum(1 for _, outcome, _ in results if outcome == kind) for kind in ("passed", "failed")}
    print(f"Screenshots in {out}")
    print(f"browser: {counts['passed']} passed, {counts['failed']} failed")
    sys.exit(1 if counts["failed"] else 0)


if __name__ == "__main__":
    main()
