"""The bound method is registered on a child object owned by the dialog itself, so the only reference path is a self-contained cycle the garbage collector reclaims."""


class Button:
    def __init__(self, label):
        self.label = label
        self._on_click = []

    def on_click(self, handler):
        self._on_click.append(handler)

    def click(self):
        for handler in self._on_click:
            handler(self)


class ConfirmDialog:
    def __init__(self, message):
        self.message = message
        self.result = None
        self.ok_button = Button("OK")
        self.cancel_button = Button("Cancel")
        self.ok_button.on_click(self._accept)
        self.cancel_button.on_click(self._reject)

    def _accept(self, _button):
        self.result = True

    def _reject(self, _button):
        self.result = False
