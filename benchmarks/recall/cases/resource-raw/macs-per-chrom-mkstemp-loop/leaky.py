"""Per-chromosome pileup cache for the peak caller, spilled to temporary files."""
import os
import pickle
import tempfile


class CallerFromAlignments:
    def __init__(self, treat, ctrl, save_bedgraph=False):
        self.treat = treat
        self.ctrl = ctrl
        self.chromosomes = sorted(set(treat.get_chr_names()) & set(ctrl.get_chr_names()))
        self.save_bedgraph = save_bedgraph
        self.pileup_data_files = {}

    def _pileup_chrom(self, chrom):
        treat_pv = self.treat.pileup(chrom)
        ctrl_pv = self.ctrl.pileup(chrom)
        return treat_pv, ctrl_pv

    def precompute(self):
        for chrom in self.chromosomes:
            (_, tmpfname) = tempfile.mkstemp()  # leak
            self.pileup_data_files[chrom] = tmpfname
            with open(tmpfname, "wb") as f:
                pickle.dump(self._pileup_chrom(chrom), f, protocol=2)

    def load_chrom(self, chrom):
        with open(self.pileup_data_files[chrom], "rb") as f:
            return pickle.load(f)

    def destroy(self):
        for fname in self.pileup_data_files.values():
            if os.path.isfile(fname):
                os.unlink(fname)
        self.pileup_data_files = {}
