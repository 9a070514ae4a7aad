"""The plain reference of ``context.context_evidence``: the same evidence, one swap at a time.

Every rule of ``context.py`` written as a loop over one swap and lookups of one word, with
the lexicon's scalar helpers, so that it can be read line by line and checked by hand. The
tests assert that the array passes of ``context.py`` give exactly these values on generated
batches (``tests/test_context.py``). Too slow for use: one swap costs milliseconds here.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from .. import bigrams, language_model, lexicon
from ..lexicon.loading import vocabulary
from ..lexicon.loading import wordnet as lexicon_wordnet
from ..lexicon.morphology import analyses
from .context import (
    DETERMINERS,
    FILLER_WORDS,
    COPULAR_FRAMES,
    LESK_OVERLAP_WEIGHT,
    NOUN,
    OBJECT_PRONOUNS,
    PREPOSITIONS,
    TRANSITIVE_FRAMES,
    VERB,
    ADVERB,
    ContextEvidence,
    SwapWords,
    _sense_data,
    _synset_relations,
    narrowed_slot,
    needs_an,
)

__all__ = ["context_evidence_py", "pos_bits_py", "slot_py"]


def pos_bits_py(word: str) -> int:
    """The parts of speech ``word`` can be (bits NOUN | VERB | ...), counting an analysis
    only when one of its senses is not a name WordNet writes with a capital."""
    wordnet, senses = lexicon_wordnet(), _sense_data()
    bits = 0
    for token in analyses(word):
        entries = wordnet.token_entries(token)
        if any(not senses.sense_capitalized[entry] for entry in entries):
            bits |= 1 << (token % 4)
    return bits


def _inflected_bits_py(word: str) -> int:
    """The parts of speech in which ``word`` is an inflected form (its lemma is another word)."""
    words = vocabulary()
    return sum({1 << (token % 4) for token in analyses(word) if words[token // 4] != word})


def slot_py(before: str, after: str, original: str) -> int:
    """The parts of speech the slot of ``original`` between ``before`` and ``after`` allows."""
    own = pos_bits_py(original)
    narrowed = narrowed_slot(before, after, pos_bits_py(before), pos_bits_py(after), bool(own & VERB))
    return narrowed if own & narrowed else own


def _frames_py(phrase: str) -> int:
    """WordNet verb frames of every verb sense of ``phrase``, as one bit mask."""
    wordnet, senses = lexicon_wordnet(), _sense_data()
    frames = 0
    for token in analyses(phrase):
        if token % 4 == 1:
            for entry in wordnet.token_entries(token):
                frames |= int(senses.verb_frames[wordnet.sense_synset[entry]])
    return frames


def _object_follows_py(word: str) -> bool:
    if word == "that" or word[:1].isdigit():
        return False
    bits = pos_bits_py(word)
    return (word in DETERMINERS or word in OBJECT_PRONOUNS
            or (bool(bits & NOUN) and not bits & ADVERB and word not in lexicon.FUNCTION_WORDS))


def _lesk_py(original: str, slot: int, context: Sequence[str]) -> tuple[int, int]:
    """The synset Lesk chooses for ``original`` in a slot allowing ``slot``, with the content
    words ``context`` around it (-1 without candidates), and how many senses ran."""
    wordnet, senses = lexicon_wordnet(), _sense_data()
    lemmas = {token // 4 for word in context for token in analyses(word)}
    signature_keys = senses.signature_keys
    candidates = []  # (entry, synset) in analysis order, then rank order
    for token in analyses(original):
        if not (slot >> (token % 4)) & 1:
            continue
        for entry in wordnet.token_entries(token):
            if not senses.sense_capitalized[entry]:
                candidates.append((entry, int(wordnet.sense_synset[entry])))
    if not candidates:
        return -1, 0
    total = sum(int(wordnet.sense_count[entry]) + 1.0 for entry, _ in candidates)
    best, best_score = -1, -math.inf
    for entry, synset in candidates:
        overlap = 0.0
        for lemma in lemmas:
            key = np.uint64((synset << 32) | lemma)
            position = int(np.searchsorted(signature_keys, key))
            if position < signature_keys.size and signature_keys[position] == key:
                overlap += float(senses.word_weight[lemma])
        score = LESK_OVERLAP_WEIGHT * overlap + math.log((int(wordnet.sense_count[entry]) + 1.0) / total)
        if score > best_score:  # ties: the first, the more frequent sense
            best, best_score = synset, score
    return best, len(candidates)


def _fits_sense_py(replacement: str, chosen: int) -> bool:
    """Whether ``replacement`` has a sense in the synset ``chosen`` or one WordNet links to it
    directly (hypernym, hyponym, similar-to)."""
    wordnet = lexicon_wordnet()
    relations = _synset_relations()
    for token in analyses(replacement):
        for entry in wordnet.token_entries(token):
            synset = int(wordnet.sense_synset[entry])
            key = np.uint64((chosen << 32) | synset)
            position = min(int(np.searchsorted(relations, key)), relations.size - 1)
            if synset == chosen or relations[position] == key:
                return True
    return False


def _pair_count_py(left: str, right: str) -> int:
    return int(bigrams.bigram_counts([left], [right])[0])


def _conditional_log10_py(history: str, word: str) -> float:
    """log10 P(word | history) by the bigram language model, read from its arrays directly:
    the listed bigram, else the history's backoff weight plus the word's own probability."""
    model = language_model._model()
    word_id = model.index.find_one(word)
    if word_id < 0:
        return model.unknown_log10
    alone = float(model.unigram_log10[word_id])
    history_id = model.index.find_one(history or language_model.SENTENCE_START)
    if history_id < 0:
        return alone
    start, end = int(model.bigram_starts[history_id]), int(model.bigram_starts[history_id + 1])
    words = model.bigram_words[start:end].tolist()
    position = bisect.bisect_left(words, word_id)
    if position < len(words) and words[position] == word_id:
        return -float(model.bigram_codes[start + position]) / model.steps
    return float(model.backoff_log10[history_id]) + alone


def text_fluency_py(norms: Sequence[str]) -> list[float]:
    """``language_model.text_fluency`` of one text, word by word."""
    if not norms:
        return [0.0, 0.0, 0.0]
    model = language_model._model()

    def alone(word: str) -> float:
        row = model.index.find_one(word)
        return float(model.unigram_log10[row]) if row >= 0 else model.unknown_log10

    paired = [_conditional_log10_py(history, word) for history, word in zip(["", *norms], norms)]
    association = [p - alone(word) for p, word in zip(paired, norms)]
    return [sum(paired) / len(norms), sum(association) / len(norms),
            sum(p < language_model.UNLIKELY_LOG10 for p in paired) / len(norms)]


def _phrase_log10_py(before: str, phrase: tuple[str, ...], after: str) -> float:
    tokens = [before, *phrase] + ([after] if after else [])
    return sum(_conditional_log10_py(history, word) for history, word in zip(tokens, tokens[1:]))


def context_evidence_py(
    swap_words: SwapWords, related: np.ndarray | None = None, common: np.ndarray | None = None
) -> ContextEvidence:
    """``context.context_evidence``, one swap at a time."""
    count = len(swap_words.originals)
    related = np.zeros(count, dtype=bool) if related is None else related
    common = np.ones(count, dtype=bool) if common is None else common
    context_of: list[list[str]] = [[] for _ in range(count)]
    for word, swap in zip(swap_words.context_words, swap_words.context_swap.tolist()):
        context_of[swap].append(word)
    rules = Counter(
        (int(document), original, replacement)
        for document, original, replacement in zip(
            swap_words.document.tolist(), swap_words.originals, swap_words.replacements)
        if original and replacement
    )
    floor = math.log10(bigrams.pair_floor())
    columns: dict[str, list[float]] = {name: [] for name in ContextEvidence.__dataclass_fields__}
    for row in range(count):
        original, replacement = swap_words.originals[row], swap_words.replacements[row]
        before, after = swap_words.reference_before[row], swap_words.reference_after[row]
        phrase = " ".join(replacement)
        single = original[0] if len(original) == 1 else ""
        content = bool(common[row]) and bool(single) and single not in lexicon.FUNCTION_WORDS
        own = pos_bits_py(single)
        slot = slot_py(before, after, single) if content else 0
        new = pos_bits_py(phrase)
        judged = slot > 0 and new > 0 and phrase not in lexicon.FUNCTION_WORDS
        columns["pos_mismatch"].append(float(slot & new == 0) if judged else math.nan)
        columns["valency_break"].append(float(
            judged and bool(slot & VERB) and bool(new & VERB) and _object_follows_py(after)
            and bool(_frames_py(single) & TRANSITIVE_FRAMES)
            and not _frames_py(phrase) & TRANSITIVE_FRAMES and _frames_py(phrase) > 0
            and not _frames_py(phrase) & COPULAR_FRAMES
            and not ((before in PREPOSITIONS or before in DETERMINERS) and len(replacement) == 1
                     and phrase.endswith(("ing", "ed")))
        ))
        # Sense: only a one-word content original WordNet relates to its replacement.
        fit, blind = math.nan, 0.0
        if content and related[row]:
            chosen, candidates = _lesk_py(single, slot if slot > 0 else own, context_of[row])
            if chosen >= 0:
                fits = _fits_sense_py(phrase, chosen)
                fit = float(fits)
                blind = float(not fits and candidates >= 2)
        columns["sense_fit"].append(fit)
        columns["sense_blind"].append(blind)
        # "a"/"an" before the swap in the article.
        article_before = swap_words.article_before[row]
        agreement = 0.0
        if common[row] and article_before in ("a", "an") and original and replacement:
            wants_an = article_before == "an"
            agreement = float(needs_an(original[0]) == wants_an and needs_an(replacement[0]) != wants_an)
        columns["article_agreement"].append(agreement)
        # Collocation with each neighbour.
        judged_pair = bool(original) and bool(replacement)
        drops, lost = [], 0.0
        for reference_side, article_side, old_word, new_word, left_side in (
            (before, swap_words.article_before[row], original[:1], replacement[:1], True),
            (after, swap_words.article_after[row], original[-1:], replacement[-1:], False),
        ):
            if not (judged_pair and reference_side and article_side):
                drops.append(0.0)
                continue
            old_count = (_pair_count_py(reference_side, old_word[0]) if left_side
                         else _pair_count_py(old_word[0], reference_side))
            new_count = (_pair_count_py(article_side, new_word[0]) if left_side
                         else _pair_count_py(new_word[0], article_side))
            drops.append(max(math.log10(old_count + 1.0), floor) - max(math.log10(new_count + 1.0), floor))
            lost += float(old_count > 0 and new_count == 0)
        columns["collocation_left"].append(drops[0])
        columns["collocation_right"].append(drops[1])
        columns["collocation_lost"].append(lost)
        columns["fluency_drop"].append(
            _phrase_log10_py(before, original, after)
            - _phrase_log10_py(swap_words.article_before[row], replacement, swap_words.article_after[row])
        )
        # Spinner habits.
        function = lexicon.FUNCTION_WORDS
        both = bool(original) and bool(replacement)
        all_function = both and all(word in function for word in original)
        expansion = all_function and len(replacement) > len(original)
        columns["function_expansion"].append(float(expansion))
        columns["function_swap"].append(float(
            all_function and len(replacement) == len(original) and all(w in function for w in replacement)
        ))
        columns["function_to_content"].append(float(all_function and not any(w in function for w in replacement)))
        columns["filler"].append(float(
            both and sum(w in FILLER_WORDS for w in replacement) > sum(w in FILLER_WORDS for w in original)
        ))
        columns["repeated_rule"].append(
            float(min(rules[(int(swap_words.document[row]), original, replacement)] - 1, 3))
            if original and replacement else 0.0
        )
        # Inflection: an inflected noun or verb for a bare base form, in every POS the slot allows.
        lost_inflection = 0.0
        inflection_slot = (slot if slot > 0 else own) if common[row] else 0
        if single and single not in function and replacement:
            inflected = _inflected_bits_py(single) & inflection_slot & (NOUN | VERB)
            verdicts = []
            for pos, head in ((VERB, replacement[0]), (NOUN, replacement[-1])):
                if not inflected & pos:
                    continue
                if head in function:
                    verdicts.append(False)
                elif pos_bits_py(head) & pos:
                    verdicts.append(bool((pos_bits_py(head) & ~_inflected_bits_py(head)) & pos))
            lost_inflection = float(bool(verdicts) and all(verdicts))
        columns["inflection_lost"].append(lost_inflection)
    return ContextEvidence(**{name: np.array(values, dtype=np.float64) for name, values in columns.items()})

