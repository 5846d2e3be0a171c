import functools
import logging
import uuid


class AnnotatedAdapter(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        extra = dict(self.extra)
        extra.update(kwargs.pop("extra", {}))
        kwargs["extra"] = extra
        return msg, kwargs


def annotate_logs(_typing_requested=False, **annotations):
    """Give the decorated function a logger carrying its own annotations."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            name = f"annotated_logger:{func.__name__}:{uuid.uuid4().hex}"
            logger = logging.getLogger(name)
            try:
                adapter = AnnotatedAdapter(logger, {"function": func.__name__, **annotations})
                adapter.info("start")
                result = func(*args, annotated_logger=adapter, **kwargs)
                adapter.info("success")
                return result
            finally:
                logging.root.manager.loggerDict.pop(name, None)

        return wrapper

    return decorator


@annotate_logs(team="billing")
def charge(customer_id, amount, annotated_logger):
    annotated_logger.info("charging %s", amount, extra={"customer": customer_id})
    return {"customer": customer_id, "amount": amount}
