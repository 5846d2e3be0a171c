"""The language server, ``leaklint server``: diagnostics and code actions in
editors, over the Language Server Protocol on standard input and output.

``linting`` lints documents as the command line lints files (their settings,
other modules from the open buffers); ``protocol`` turns findings into the
protocol's diagnostics and code actions; ``positions`` converts positions;
``app`` is the server (pygls), imported only by ``leaklint server``.
"""
