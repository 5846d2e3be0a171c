import functools
import warnings

import matplotlib.axes


class FigureManager:
    @staticmethod
    def create_maidr(axes, plot, plot_type):
        return {"axes": axes, "plot": plot, "type": plot_type}


def common(plot_type, wrapped, instance, args, kwargs):
    warnings.filterwarnings("ignore")  # leak
    plot = wrapped(*args, **kwargs)
    FigureManager.create_maidr(instance, plot, plot_type)
    return plot


def patch(method_name, plot_type):
    original = getattr(matplotlib.axes.Axes, method_name)

    @functools.wraps(original)
    def wrapper(self, *args, **kwargs):
        return common(plot_type, functools.partial(original, self), self, args, kwargs)

    setattr(matplotlib.axes.Axes, method_name, wrapper)


patch("bar", "bar")
patch("hist", "hist")
patch("scatter", "point")
