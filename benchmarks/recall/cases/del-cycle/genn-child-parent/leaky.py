"""Python-side model and population wrappers around the generated simulator."""
from collections import OrderedDict


class Group(object):
    def __init__(self, name, model):
        self.name = name
        self._model = model  # leak
        self.vars = {}

    def pull_state_from_device(self):
        self._model._slm.pull_state_from_device(self.name)

    def __del__(self):
        self.vars.clear()


class NeuronGroup(Group):
    def __init__(self, name, model, size):
        super(NeuronGroup, self).__init__(name, model)
        self.size = size
        self.spike_recording_enabled = False


class GeNNModel(object):
    def __init__(self, precision="float", model_name="GeNNModel", slm=None):
        self.model_name = model_name
        self.precision = precision
        self._slm = slm
        self.neuron_populations = OrderedDict()

    def add_neuron_population(self, pop_name, num_neurons):
        if pop_name in self.neuron_populations:
            raise ValueError("neuron population '{0}' already exists".format(pop_name))
        n_group = NeuronGroup(pop_name, self, num_neurons)
        self.neuron_populations[pop_name] = n_group
        return n_group

    def __del__(self):
        if self._slm is not None:
            self._slm.free()
