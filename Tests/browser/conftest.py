"""The front desk in a real browser: a fresh embedded database, an account from
`jobmatch user add`, `jobmatch serve --web-listen`, Debian's chromium through
chromium-driver (selenium). Nothing here is mocked."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("JOBMATCH_BIN", os.path.join(ROOT, ".build", "debug", "jobmatch"))
PASSWORD = "front-desk-pass-1"
ADMIN = "desk-admin-7"
SHOTS = os.environ.get("JOBMATCH_SHOTS", os.path.join(ROOT, ".build", "browser-shots"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.home = tempfile.mkdtemp(prefix="jobmatch-browser-")
        self.env = dict(os.environ, JOBMATCH_HOME=self.home)
        for k in ("DATABASE_URL", "JOBMATCH_DATABASE_URL", "PGHOST", "PGPORT", "PGDATABASE", "PGUSER"):
            self.env.pop(k, None)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def jm(self, *args, stdin=None):
        return subprocess.run([BIN, *args], env=self.env, input=stdin, capture_output=True, text=True, check=True, timeout=300)

    def start(self):
        self.jm("migrate")
        self.jm("user", "add", ADMIN, "--role", "admin", stdin=PASSWORD + "\n")
        self.jm("user", "add", "viewer", "--role", "viewer", stdin=PASSWORD + "\n")
        self.token = self.jm("token", "add", "fuzz", "--role", "staff").stdout.strip().split()[-1]
        self.log = open(os.path.join(self.home, "serve.log"), "w")
        self.proc = subprocess.Popen([BIN, "serve", "--web-listen", f"127.0.0.1:{self.port}", "--metrics-listen", "off", "--no-schedule"],
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/login", timeout=2)
                return
            except Exception:
                if self.proc.poll() is not None:
                    raise RuntimeError("serve exited: " + open(os.path.join(self.home, "serve.log")).read())
                time.sleep(0.3)
        raise RuntimeError("serve did not listen in 60 s")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        subprocess.run([BIN, "db", "stop"], env=self.env, capture_output=True, timeout=120)
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    s = Server()
    try:
        s.start()
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="session")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN"):
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    d = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=opts)
    d.set_page_load_timeout(60)
    d.set_script_timeout(120)  # axe-core on a large page of a loaded 2-core machine took over the default 30 s
    os.makedirs(SHOTS, exist_ok=True)
    yield d
    d.quit()
