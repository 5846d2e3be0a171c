class Source:
    def __init__(self):
        self._listeners = []

    @property
    def listeners(self):
        return list(self._listeners)

    def add_listener(self, listener):
        if listener not in self._listeners:
            self._listeners.append(listener)

    def remove_listener(self, listener):
        self._listeners.remove(listener)

    def notify(self, notification, **kwargs):
        for listener in self._listeners:
            method = getattr(listener, notification, None)
            if method is not None:
                method(**kwargs)


class ListSource(Source):
    def __init__(self, accessors, data=()):
        super().__init__()
        self._accessors = list(accessors)
        self._data = list(data)

    def append(self, row):
        self._data.append(row)
        self.notify("insert", index=len(self._data) - 1, item=row)


class DetailedList:
    def __init__(self, impl, data=None, accessors=("title", "subtitle", "icon")):
        self._impl = impl
        self._accessors = accessors
        self._data = None
        self.data = data

    @property
    def data(self):
        return self._data

    @data.setter
    def data(self, data):
        if self._data is not None:
            self._data.remove_listener(self._impl)
        if data is None:
            self._data = ListSource(accessors=self._accessors)
        elif isinstance(data, Source):
            self._data = data
        else:
            self._data = ListSource(accessors=self._accessors, data=data)
        self._data.add_listener(self._impl)
        self._impl.change_source(source=self._data)
