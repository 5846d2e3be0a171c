"""Minimal XML-RPC dispatcher that turns exceptions into Fault responses."""
import sys
from xmlrpc.client import Fault, dumps, loads


class SimpleXMLRPCDispatcher:
    def __init__(self, allow_none=False, encoding=None):
        self.funcs = {}
        self.allow_none = allow_none
        self.encoding = encoding or "utf-8"

    def register_function(self, function, name=None):
        self.funcs[name or function.__name__] = function
        return function

    def _dispatch(self, method, params):
        try:
            func = self.funcs[method]
        except KeyError:
            raise Exception('method "%s" is not supported' % method)
        return func(*params)

    def _marshaled_dispatch(self, data, dispatch_method=None, path=None):
        params, method = loads(data)
        try:
            if dispatch_method is not None:
                response = dispatch_method(method, params)
            else:
                response = self._dispatch(method, params)
            response = dumps((response,), methodresponse=1,
                             allow_none=self.allow_none, encoding=self.encoding)
        except Fault as fault:
            response = dumps(fault, allow_none=self.allow_none, encoding=self.encoding)
        except BaseException:
            exc_type, exc_value, exc_tb = sys.exc_info()
            try:
                response = dumps(Fault(1, "%s:%s" % (exc_type, exc_value)),
                                 encoding=self.encoding, allow_none=self.allow_none)
            finally:
                # Break reference cycle
                exc_type = exc_value = exc_tb = None
        return response.encode(self.encoding, "xmlcharrefreplace")
