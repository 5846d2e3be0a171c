"""A Python line processor in the spirit of awk."""
import argparse
import contextlib
import re
import sys


def compile_command(text):
    if not text:
        return None
    return compile(text, "<pawk>", "exec")


def process(context, file, args, statement):
    for line_no, line in enumerate(file, start=1):
        line = line.rstrip("\n")
        context.update(line=line, l=line, n=line_no, words=re.split(args.delim or r"\s+", line))
        context["w"] = context["words"]
        exec(statement, context)


def run(argv):
    parser = argparse.ArgumentParser(prog="pawk")
    parser.add_argument("-B", "--begin")
    parser.add_argument("-E", "--end")
    parser.add_argument("-F", "--delim")
    parser.add_argument("statement")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)

    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(open(f)) for f in args.files] if args.files else [sys.stdin]

        context = {"re": re, "sys": sys}
        begin = compile_command(args.begin)
        statement = compile_command(args.statement)
        end = compile_command(args.end)
        if begin:
            exec(begin, context)

        for file in files:
            process(context, file, args, statement)
        if end:
            exec(end, context)


if __name__ == "__main__":
    run(sys.argv[1:])
