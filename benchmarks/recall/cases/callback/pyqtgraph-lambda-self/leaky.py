from pyqtgraph.Qt import QtCore


class Parameter(QtCore.QObject):
    sigValueChanged = QtCore.Signal(object, object)
    sigNameChanged = QtCore.Signal(object, object)
    sigOptionsChanged = QtCore.Signal(object, object)
    sigLimitsChanged = QtCore.Signal(object, object)
    sigStateChanged = QtCore.Signal(object, object, object)

    def __init__(self, name, value=None, **opts):
        super().__init__()
        self.opts = {"name": name, "value": value, **opts}
        self.sigValueChanged.connect(lambda param, data: self.emitStateChanged("value", data))  # leak
        self.sigNameChanged.connect(lambda param, data: self.emitStateChanged("name", data))  # leak
        self.sigOptionsChanged.connect(lambda param, data: self.emitStateChanged("options", data))  # leak
        self.sigLimitsChanged.connect(lambda param, data: self.emitStateChanged("limits", data))  # leak

    def emitStateChanged(self, changeDesc, data):
        self.sigStateChanged.emit(self, changeDesc, data)

    def setValue(self, value):
        if value == self.opts["value"]:
            return
        self.opts["value"] = value
        self.sigValueChanged.emit(self, value)

    def setLimits(self, limits):
        self.opts["limits"] = limits
        self.sigLimitsChanged.emit(self, limits)
