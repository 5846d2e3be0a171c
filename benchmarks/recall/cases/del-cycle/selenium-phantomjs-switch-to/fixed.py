"""PhantomJS flavour of the remote WebDriver, with its own service process."""
import subprocess

from urllib.request import urlopen


class SwitchTo(object):
    def __init__(self, driver):
        self._driver = driver

    def window(self, window_name):
        self._driver.execute("switchToWindow", {"name": window_name})


class RemoteWebDriver(object):
    def __init__(self, command_executor):
        self.command_executor = command_executor
        self.session_id = None
        self._switch_to = SwitchTo(self)

    @property
    def switch_to(self):
        return self._switch_to

    def execute(self, command, params=None):
        return urlopen(self.command_executor + "/" + command).read()

    def quit(self):
        self.execute("quit")


class Service(object):
    def __init__(self, executable_path, port=8910):
        self.path = executable_path
        self.port = port
        self.process = None

    @property
    def service_url(self):
        return "http://localhost:%d/wd/hub" % self.port

    def start(self):
        self.process = subprocess.Popen([self.path, "--webdriver=%d" % self.port], stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # other leak: stop() kills and waits for it but never closes its pipes

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def __del__(self):
        try:
            self.stop()
        except Exception:
            pass


class WebDriver(RemoteWebDriver):
    def __init__(self, executable_path="phantomjs", port=8910):
        self.service = Service(executable_path, port=port)
        self.service.start()
        RemoteWebDriver.__init__(self, command_executor=self.service.service_url)

    def quit(self):
        try:
            RemoteWebDriver.quit(self)
        finally:
            self.service.stop()
