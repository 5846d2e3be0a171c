"""Movie stimulus: frames decoded with OpenCV, audio played through VLC."""
import os
import time
import weakref

import vlc

PLAYING, FINISHED = 1, 2


def _audio_time_callback(event, stim_ref, player):
    stim = stim_ref()
    if stim is not None:
        stim._last_audio_callback_time = time.time()
        stim._last_audio_stream_time = player.get_time() / 1000.0


def _audio_end_callback(event, stim_ref):
    stim = stim_ref()
    if stim is not None:
        stim.status = FINISHED


class MovieStim2(object):
    def __init__(self, win, filename, loop=False):
        self.win = win
        self.loop = loop
        self.filename = filename
        self.status = None
        self._vlc_instance = None
        self._vlc_event_manager = None
        self._audio_stream = None
        self._audio_stream_player = None
        self._last_audio_callback_time = time.time()
        self._last_audio_stream_time = None
        self._createAudioStream()

    def _createAudioStream(self):
        if not os.access(self.filename, os.R_OK):
            raise RuntimeError("Error: %s file not readable" % self.filename)
        self._vlc_instance = vlc.Instance("--novideo")
        self._audio_stream = self._vlc_instance.media_new(self.filename)
        self._audio_stream_player = self._vlc_instance.media_player_new()
        self._audio_stream_player.set_media(self._audio_stream)
        self._vlc_event_manager = self._audio_stream_player.event_manager()
        self_ref = weakref.ref(self)
        self._vlc_event_manager.event_attach(vlc.EventType.MediaPlayerTimeChanged, _audio_time_callback, self_ref, self._audio_stream_player)
        self._vlc_event_manager.event_attach(vlc.EventType.MediaPlayerEndReached, _audio_end_callback, self_ref)

    def _unload(self):
        if self._audio_stream_player:
            self._audio_stream_player.stop()
        self._audio_stream_player = None
        self.status = FINISHED

    def __del__(self):
        self._unload()
