"""Track a module's source file so edits can be hot-reloaded."""
import ast
import os


class CodeFile:
    def __init__(self, filename, module_name):
        self.filename = filename
        self.module_name = module_name
        self.saved = None
        self.root = None

    def discover(self):
        if not os.path.exists(self.filename):
            return None
        source = open(self.filename).read()  # leak
        self.saved = source
        self.root = ast.parse(source, filename=self.filename)
        return self.root

    def refresh(self):
        """Re-read the file and report whether it changed on disk."""
        new_source = open(self.filename, encoding="utf8").read()  # leak
        if new_source == self.saved:
            return False
        self.saved = new_source
        self.root = ast.parse(new_source, filename=self.filename)
        return True

    def definitions(self):
        if self.root is None:
            self.discover()
        return [
            node.name
            for node in ast.walk(self.root)
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))
        ]
