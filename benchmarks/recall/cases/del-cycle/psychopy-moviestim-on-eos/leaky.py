"""Movie stimulus backed by a pyglet media player."""
import pyglet

NOT_STARTED, PLAYING, PAUSED, STOPPED, FINISHED = range(5)


class MovieStim(object):
    def __init__(self, win, filename, loop=False, autoLog=True):
        self.win = win
        self.loop = loop
        self.autoLog = autoLog
        self.status = NOT_STARTED
        self.loadMovie(filename)

    def loadMovie(self, filename):
        self._player = pyglet.media.ManagedSoundPlayer()
        self._movie = pyglet.media.load(filename, streaming=True)
        self._player.queue(self._movie)
        self._player._on_eos = self._onEos  # leak
        self.duration = self._movie.duration
        self.filename = filename

    def play(self):
        self.status = PLAYING
        self._player.play()

    def pause(self):
        self.status = PAUSED
        self._player.pause()

    def stop(self):
        self.status = STOPPED
        self._player.stop()

    def _onEos(self):
        if self.loop:
            self.loadMovie(self.filename)
            self.play()
        else:
            self.status = FINISHED

    def __del__(self):
        self._player.next()
