"""Rule-based relation extraction: helpers shared by all rules."""
import re
from functools import lru_cache


class EnrichedToken:
    def __init__(self, token, lemma, pos):
        self.token = token
        self.lemma = lemma
        self.pos = pos


@lru_cache(maxsize=8)
def cached_segment_enriched_tokens(segment):
    """Tokens of ``segment`` with lemma and POS, reused by every rule."""
    return [EnrichedToken(t, l, p) for t, l, p in zip(segment.tokens, segment.lemmas, segment.postags)]


def rule_matches(rule_regex, evidence):
    tokens = cached_segment_enriched_tokens(evidence.segment)
    text = " ".join("%s/%s" % (t.lemma, t.pos) for t in tokens)
    return re.search(rule_regex, text) is not None


def run_rules(rules, evidences):
    for evidence in evidences:
        yield evidence, any(rule_matches(rule, evidence) for rule in rules)
