"""A project ties drivers, a layout and an animation together; the builder edits it."""


class Animation(object):
    def __init__(self, layout):
        self.layout = layout
        self.project = None

    def step(self, amt=1):
        self.layout.all_off()

    def cleanup(self):
        self.layout = None


class Project(object):
    def __init__(self, drivers, layout, animation):
        self.drivers = drivers
        self.layout = layout
        self.animation = animation
        self.animation.project = self  # leak
        self.running = False

    def start(self):
        for driver in self.drivers:
            driver.start()
        self.running = True

    def stop(self):
        self.running = False
        for driver in self.drivers:
            driver.stop()

    def cleanup(self):
        self.animation.cleanup()
        for driver in self.drivers:
            driver.cleanup()

    def __del__(self):
        self.cleanup()


class Builder(object):
    def __init__(self, make_project, desc):
        self.make_project = make_project
        self.desc = desc
        self.project = None

    def start(self):
        self.project = self.make_project(self.desc)
        self.project.builder = self  # leak
        self.project.start()

    def stop(self):
        if self.project is not None:
            self.project.stop()

    def __del__(self):
        self.stop()
