"""Rule-based relation extraction: helpers shared by all rules."""
import re

_enriched_tokens_cache = {}  # leak


class EnrichedToken:
    def __init__(self, token, lemma, pos):
        self.token = token
        self.lemma = lemma
        self.pos = pos


def cached_segment_enriched_tokens(segment):
    """Tokens of ``segment`` with lemma and POS, reused by every rule."""
    key = segment.pk
    tokens = _enriched_tokens_cache.get(key)
    if tokens is None:
        tokens = [EnrichedToken(t, l, p) for t, l, p in zip(segment.tokens, segment.lemmas, segment.postags)]
        _enriched_tokens_cache[key] = tokens  # leak
    return tokens


def rule_matches(rule_regex, evidence):
    tokens = cached_segment_enriched_tokens(evidence.segment)
    text = " ".join("%s/%s" % (t.lemma, t.pos) for t in tokens)
    return re.search(rule_regex, text) is not None


def run_rules(rules, evidences):
    for evidence in evidences:
        yield evidence, any(rule_matches(rule, evidence) for rule in rules)
