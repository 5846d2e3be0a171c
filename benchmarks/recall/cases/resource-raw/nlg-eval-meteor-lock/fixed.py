"""METEOR scorer talking to a long-lived Java process over stdin/stdout."""
import os
import subprocess
import threading

METEOR_JAR = "meteor-1.5.jar"


class Meteor:
    def __init__(self):
        here = os.path.dirname(os.path.abspath(__file__))
        cmd = ["java", "-jar", "-Xmx2G", METEOR_JAR, "-", "-", "-stdio", "-l", "en", "-norm"]
        self.meteor_p = subprocess.Popen(cmd, cwd=here, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # other leak: nothing waits for or kills the process
        self.lock = threading.Lock()

    def _stat(self, hypothesis, references):
        hypothesis = hypothesis.replace("|||", "").replace("  ", " ")
        score_line = " ||| ".join(("SCORE", " ||| ".join(references), hypothesis))
        self.meteor_p.stdin.write((score_line + "\n").encode("utf-8"))
        self.meteor_p.stdin.flush()
        return self.meteor_p.stdout.readline().decode("utf-8").strip()

    def compute_score(self, gts, res):
        img_ids = sorted(gts.keys())
        scores = []
        eval_line = "EVAL"
        with self.lock:
            for i in img_ids:
                assert len(res[i]) == 1
                stat = self._stat(res[i][0], gts[i])
                eval_line += " ||| {}".format(stat)
            self.meteor_p.stdin.write((eval_line + "\n").encode("utf-8"))
            self.meteor_p.stdin.flush()
            for _ in img_ids:
                scores.append(float(self.meteor_p.stdout.readline().strip()))
            score = float(self.meteor_p.stdout.readline().strip())
        return score, scores
