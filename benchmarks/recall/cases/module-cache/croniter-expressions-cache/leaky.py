"""Parse cron expressions into the sets of values each field allows."""
import binascii

FIELD_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]

EXPRESSIONS = {}  # leak


def _expand_field(text, low, high):
    values = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part == "*":
            start, stop = low, high
        elif "-" in part:
            start, stop = (int(v) for v in part.split("-", 1))
        else:
            start = stop = int(part)
        values.update(range(start, stop + 1, step))
    return sorted(values)


def expand(expr_format, hash_id=None):
    key = (expr_format, hash_id)
    if key in EXPRESSIONS:
        return EXPRESSIONS[key]
    fields = expr_format.split()
    if len(fields) != len(FIELD_RANGES):
        raise ValueError("bad cron expression: %r" % expr_format)
    if hash_id is not None:
        seed = binascii.crc32(hash_id)
        fields = [f.replace("H", str(seed % (hi - lo + 1) + lo)) for f, (lo, hi) in zip(fields, FIELD_RANGES)]
    expanded = [_expand_field(f, lo, hi) for f, (lo, hi) in zip(fields, FIELD_RANGES)]
    EXPRESSIONS[key] = expanded  # leak
    return expanded
