import pypdfium2 as pdfium


class PdfProvider:
    def __init__(self, filepath: str, page_range=None, dpi: int = 96):
        self.filepath = filepath
        self.dpi = dpi
        self.doc = pdfium.PdfDocument(self.filepath)
        self.page_range = page_range or list(range(len(self.doc)))
        self.page_lines = {}

    def __len__(self):
        return len(self.doc)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.cleanup_pdf_doc()

    def cleanup_pdf_doc(self):
        if self.doc is not None:
            self.doc.close()
            self.doc = None

    def get_images(self, idxs):
        scale = self.dpi / 72
        return [self.doc[idx].render(scale=scale).to_pil() for idx in idxs]


def convert_request(path: str):
    with PdfProvider(path) as provider:
        return provider.get_images(provider.page_range[:1])
