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
        self.duration = self._movie.duration
        self.filename = filename

    def play(self):
        self.status = PLAYING
        self._player._on_eos = self._onEos
        self._player.play()

    def pause(self):
        self.status = PAUSED
        self._player.pause()
        self._player._on_eos = None

    def stop(self):
        self.status = STOPPED
        self._player.stop()
        self._player._on_eos = None

    def _onEos(self):
        self._player._on_eos = None
        if self.loop:
            self.loadMovie(self.filename)
            self.play()
        else:
            self.status = FINISHED

    def __del__(self):
        self._player.next()
