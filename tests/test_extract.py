from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.align import Alignment, Passage, align, align_batch, token_ids
from spindetect.extract import (
    Edit,
    _classify_gaps,
    _sharing_gaps,
    differently_split,
    extract_edits,
    extract_edits_batch,
    phrase_parts,
)
from spindetect.extract_py import (
    best_chunks_py,
    extract_edits_py,
    gap_shares_a_token_py,
    relatedness_py,
    split_substitution_py,
)
from spindetect.tokenize import tokenize


def edits_of(article: str, reference: str) -> list[tuple[str, list[str], list[str]]]:
    article_tokens, reference_tokens = tokenize(article), tokenize(reference)
    alignment = align(*token_ids(article_tokens.norms, reference_tokens.norms))
    extraction = extract_edits(alignment, article_tokens.norms, reference_tokens.norms)
    return [
        (
            edit.kind,
            list(article_tokens.norms[slice(*edit.article_tokens)]),
            list(reference_tokens.norms[slice(*edit.reference_tokens)]),
        )
        for edit in extraction.edits
    ]


CONTEXT_BEFORE = "prosecutors said the charge carries a maximum penalty of ten years in prison and"
CONTEXT_AFTER = "if someone is found guilty after a trial in the court of Paris"


def in_context(phrase: str) -> str:
    return f"{CONTEXT_BEFORE} {phrase} {CONTEXT_AFTER}"


def test_one_to_one_substitution():
    assert edits_of(in_context("a nice of 500,000 euros"), in_context("a fine of 500,000 euros")) == [
        ("substitution", ["nice"], ["fine"])
    ]


def test_one_to_many_substitution():
    assert edits_of(in_context("he was not allowed to go away France"), in_context("he was not allowed to leave France")) == [
        ("substitution", ["go", "away"], ["leave"])
    ]


def test_function_word_phrase_substitution():
    assert edits_of(in_context("I used to be questioned by police"), in_context("I was questioned by police")) == [
        ("substitution", ["used", "to", "be"], ["was"])
    ]


def test_pure_insertion_and_deletion():
    assert edits_of(in_context("the fact that authorities really were confused"), in_context("the fact that authorities were confused")) == [
        ("insertion", ["really"], [])
    ]
    assert edits_of(in_context("the fact that authorities were confused"), in_context("the fact that authorities really were confused")) == [
        ("deletion", [], ["really"])
    ]


def test_insertion_that_makes_a_thesaurus_phrase_is_a_substitution():
    # The spinner replaced "fact" with its thesaurus phrase "indisputable fact".
    assert edits_of(in_context("the indisputable fact that authorities"), in_context("the fact that authorities")) == [
        ("substitution", ["indisputable", "fact"], ["fact"])
    ]


def test_multiword_edit_splits_into_related_parts():
    assert edits_of(in_context("we are willing to go away the country"), in_context("we are willing to leave that country")) == [
        ("substitution", ["go", "away"], ["leave"]),
        ("substitution", ["the"], ["that"]),
    ]


def test_unrelated_multiword_edit_stays_whole():
    assert edits_of(in_context("he speaks out about the arrest"), in_context("he recently shared details about the arrest")) == [
        ("substitution", ["speaks", "out"], ["recently", "shared", "details"])
    ]


def test_case_and_punctuation_only_differences_are_not_edits():
    assert edits_of(in_context("A FINE, of 500,000 euros!"), in_context("a fine of 500,000 euros")) == []


def test_differently_split_spelling_is_not_an_edit():
    assert edits_of(in_context("send an e-mail to them"), in_context("send an email to them")) == []


def test_long_rewrites_are_not_swaps():
    article = in_context("which several observers described in very different words altogether")
    reference = in_context("as the court put it")
    assert all(len(a) <= 4 and len(r) <= 4 for _, a, r in edits_of(article, reference))


def test_missing_words_leave_an_empty_range_where_they_would_be():
    reference = tokenize(in_context("the fact that authorities were confused")).norms
    article = tokenize(in_context("the fact that authorities really were confused")).norms
    position = article.index("really")
    (inserted,) = extract_edits(align(*token_ids(article, reference)), article, reference).edits
    assert inserted == Edit("insertion", (position, position + 1), (position, position))
    (deleted,) = extract_edits(align(*token_ids(reference, article)), reference, article).edits
    assert deleted == Edit("deletion", (position, position), (position, position + 1))


SENTENCE = "The founder said that Telegram has an official representative in the European Union"


def evasions_of(article: str, reference: str) -> list[tuple[str, str, str]]:
    from spindetect.extract import find_evasions

    article_tokens, reference_tokens = tokenize(article), tokenize(reference)
    alignment = align(*token_ids(article_tokens.norms, reference_tokens.norms))
    extraction = extract_edits(alignment, article_tokens.norms, reference_tokens.norms)
    return [
        (
            edit.kind,
            article[article_tokens.starts[edit.article_tokens[0]] : article_tokens.ends[edit.article_tokens[1] - 1]],
            reference[reference_tokens.starts[edit.reference_tokens[0]] : reference_tokens.ends[edit.reference_tokens[1] - 1]],
        )
        for edit in find_evasions(extraction, article_tokens, reference_tokens)
    ]


def test_homoglyphs_match_and_are_reported():
    article = SENTENCE.replace("Telegram", "Tel\u0435gram").replace("official", "\u03bffficial")
    assert evasions_of(article, SENTENCE) == [
        ("homoglyph", "Tel\u0435gram", "Telegram"),
        ("homoglyph", "\u03bffficial", "official"),
    ]


def test_invisible_characters_match_and_are_reported():
    article = SENTENCE.replace("representative", "repre\u200bsen\u00adtative")
    assert evasions_of(article, SENTENCE) == [("invisible", "repre\u200bsen\u00adtative", "representative")]


def test_every_invisible_character_inside_words_is_seen_through_and_reported(
    invisible_characters: list[str],
):
    # The class of U+200B: format characters, variation selectors, the combining grapheme
    # joiner, Hangul fillers, tag characters... one after the first letter of every word.
    from spindetect import compare_many

    reference = "a fine of 500,000 euros"
    words = reference.split()
    articles = [" ".join(w[0] + c + w[1:] for w in words) for c in invisible_characters]
    for article, report in zip(articles, compare_many([(a, reference) for a in articles])):
        assert report.coverage == 1.0
        assert [(swap.kind, swap.article_text, swap.reference_text) for swap in report.swaps] == [
            ("invisible", hidden, word) for hidden, word in zip(article.split(), words)
        ]


def test_same_script_text_on_both_sides_is_not_an_evasion():
    russian = "Основатель сказал, что у Telegram есть официальный представитель в Европейском союзе"
    assert evasions_of(russian, russian) == []
    assert evasions_of("Café crème brûlée in Zürich " + SENTENCE, "Café crème brûlée in Zürich " + SENTENCE) == []


def test_a_word_extends_only_one_thesaurus_phrase():
    # "the say" and "say so" are both Moby phrases for "say": one swap, not two overlapping.
    found = edits_of(in_context("they had the say so in the matter"), in_context("they had say in the matter"))
    assert found == [("substitution", ["the", "say"], ["say"]), ("insertion", ["so"], [])]


def test_batch_extraction_of_real_sentences_equals_the_plain_reference():
    texts = [
        (in_context("a nice of 500,000 euros"), in_context("a fine of 500,000 euros")),
        (in_context("go away the country"), in_context("leave that country")),
        (in_context("the indisputable fact that"), in_context("the fact that")),
        ("nothing in common here", "entirely different words there"),
        ("", "a reference with no article"),
    ]
    tokens = [(tokenize(a), tokenize(r)) for a, r in texts]
    alignments = [align(*token_ids(a.norms, r.norms)) for a, r in tokens]
    batch = extract_edits_batch(alignments, [a.norms for a, _ in tokens], [r.norms for _, r in tokens])
    for fast, alignment, (article, reference) in zip(batch, alignments, tokens):
        _same_extraction(fast, extract_edits_py(alignment, article.norms, reference.norms))
    assert [len(x.edits) for x in batch] == [1, 2, 1, 0, 0]


# Repetitive text where passages overlap on the reference side (issue 19, item 8): both
# the batch and the plain reference keep each reference word in one edit at most.
_OVERLAPPING_PASSAGES = [
    ("a b a a b a b b a b a a a b a a a a a b a", "a b a a a a a b a a b a a b b a a"),
    ("a b a b a a b a a a a a a a a b a a a a a b b b", "b a b a b a a a a b a b b a a a b a b"),
    ("a a a a b b b b a a a b b a b b b a a a b b b b a", "a a a a a a b a b a b b a a b a a a a b a a"),
    ("a b b a b a a b b a a b b a a a b a a a a b a a a a", "a b a a a a a a b a a b a a b a b b a a a"),
]


# The passages anchors found in these two-letter texts, which overlap on the reference side.
# Short pairs are now aligned exactly, into one passage, so the overlap is given as it was.
_OVERLAPPING_BLOCKS = [
    [((0, 0, 4), (5, 12, 4)), ((15, 4, 3), (18, 8, 1), (19, 10, 2))],
    [((0, 1, 6), (12, 13, 5)), ((17, 7, 2), (20, 10, 3))],
    [((0, 0, 4), (6, 10, 4), (11, 14, 1), (13, 15, 1), (16, 19, 2)), ((18, 4, 3), (23, 8, 2))],
    [((3, 0, 4), (10, 15, 6)), ((18, 4, 3), (21, 8, 3), (24, 12, 2))],
]


def test_edits_over_reference_words_another_passage_matched_are_dropped_in_both_paths():
    documents = [(tuple(a.split()), tuple(r.split())) for a, r in _OVERLAPPING_PASSAGES]
    alignments = [
        Alignment(tuple(map(Passage, blocks)), *token_ids(article, reference))
        for blocks, (article, reference) in zip(_OVERLAPPING_BLOCKS, documents)
    ]
    batch = extract_edits_batch(
        alignments, [article for article, _ in documents], [reference for _, reference in documents]
    )
    for fast, alignment, (article, reference) in zip(batch, alignments, documents):
        _same_extraction(fast, extract_edits_py(alignment, article, reference))
        spans = sorted(edit.reference_tokens for edit in fast.edits)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]) if a[0] < a[1] and b[0] < b[1])
    assert [(edit.kind, edit.reference_tokens) for edit in batch[0].edits] == [("deletion", (9, 10))]


def test_batch_extraction_rejects_unequal_lengths():
    import pytest

    with pytest.raises(ValueError, match="1 alignments, 0 article and 1 reference"):
        extract_edits_batch([align(*token_ids(("a",), ("a",)))], [], [("a",)])


@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_best_chunks_equal_the_plain_search(n, m, data):
    from spindetect.extract import _best_chunks

    relatedness = [
        [data.draw(st.sampled_from([0.0, 1.0, 2.0])) for _ in range(m * (m + 1) // 2)]
        for _ in range(n * (n + 1) // 2)
    ]
    by_parts = {
        (original_part, replacement_part): relatedness[p][q]
        for p, original_part in enumerate(phrase_parts(n))
        for q, replacement_part in enumerate(phrase_parts(m))
    }
    assert _best_chunks(n, m, relatedness) == best_chunks_py(n, m, by_parts)


def test_relatedness_of_parts_equals_the_scalar_lookups():
    from spindetect.extract import _relatedness, phrase_parts

    phrases = [
        (("leave", "that"), ("go", "away", "the")),
        (("legal", "action"), ("legal", "motion")),
        (("i", "was"), ("i", "used", "to", "be")),
        (("fine",), ("nice", "of")),
    ]
    matrices = _relatedness(phrases)
    for (original, replacement), matrix in zip(phrases, matrices):
        assert matrix == [
            [relatedness_py(original[slice(*p)], replacement[slice(*q)])
             for q in phrase_parts(len(replacement))]
            for p in phrase_parts(len(original))
        ]
    assert [len(matrix) * len(matrix[0]) for matrix in matrices] == [3 * 6, 3 * 3, 3 * 10, 1 * 3]
    assert matrices[0][phrase_parts(2).index((0, 1))][phrase_parts(3).index((0, 2))] == 2.0  # leave / go away
    assert matrices[0][phrase_parts(2).index((1, 2))][phrase_parts(3).index((2, 3))] == 1.0  # that / the
    assert matrices[1][phrase_parts(2).index((1, 2))][phrase_parts(2).index((1, 2))] == 2.0  # action / motion


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(
    st.lists(st.integers(0, 6), max_size=40), st.lists(st.integers(0, 6), max_size=40)
), max_size=4))
def test_gap_rows_are_the_passages_gaps(pairs):
    from spindetect.align import align_batch
    from spindetect.extract import _gaps

    alignments = align_batch(
        [(np.array(a, dtype=np.int64), np.array(r, dtype=np.int64)) for a, r in pairs]
    )
    # All documents' blocks in one array, as _gap_edits passes them.
    blocks = [
        (document, len(passage.blocks), block)
        for document, alignment in enumerate(alignments)
        for passage in alignment.passages
        for block in passage.blocks
    ]
    rows, documents = _gaps(
        np.array([block for _, _, block in blocks], dtype=np.int64).reshape(-1, 3),
        [len(passage.blocks) for alignment in alignments for passage in alignment.passages],
        np.array([document for document, _, _ in blocks], dtype=np.int64),
    )
    expected = [
        (document, gap)
        for document, alignment in enumerate(alignments)
        for passage in alignment.passages
        for gap in passage.gaps()
    ]
    assert list(zip(documents.tolist(), map(tuple, rows.tolist()))) == expected


@given(st.integers(1, 4), st.booleans(), st.data())
def test_a_phrase_against_one_word_is_never_split(length, one_word_original, data):
    # Why _split_substitutions searches only edits with two or more tokens a side.
    from spindetect.extract import _best_chunks

    n, m = (1, length) if one_word_original else (length, 1)
    relatedness = [
        [data.draw(st.floats(-5, 5)) for _ in range(m * (m + 1) // 2)]
        for _ in range(n * (n + 1) // 2)
    ]
    assert _best_chunks(n, m, relatedness) == [((0, n), (0, m))]


# The batch against the plain reference (extract_py), on generated documents: articles made
# from their references by swaps, insertions and deletions of words that spinners swap, and
# repetitive text over tiny alphabets, where gaps share tokens and anchors repeat.
_SPUN_WORDS = [
    "the", "a", "of", "that", "to", "was", "used", "be", "fine", "nice", "leave", "go", "away",
    "fact", "indisputable", "say", "so", "e", "mail", "email", "on", "line", "online",
    "country", "rustic", "legal", "action", "motion",
]


@st.composite
def spun_documents(draw, words=st.sampled_from(_SPUN_WORDS), added=None, max_removed=3):
    """(article, reference) token norms: the reference, then a few edits of it, each
    replacing up to ``max_removed`` words with up to 3 of ``added`` (default: ``words``)."""
    reference = draw(st.lists(words, min_size=8, max_size=60))
    article = list(reference)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(article)))
        replacement = draw(st.lists(words if added is None else added, max_size=3))
        removed = draw(st.integers(0, max_removed))
        article[position : position + removed] = replacement
    return tuple(article), tuple(reference)


_documents = st.one_of(
    spun_documents(),
    # Words next to which an inserted word makes a thesaurus phrase: "indisputable fact",
    # "the say", "say so".
    spun_documents(st.sampled_from(["fact", "say", "that", "of", "court", "was", "paid"]),
                   st.sampled_from(["indisputable", "so", "the"]), max_removed=0),
    spun_documents(st.sampled_from(["a", "b", "c"])),
    st.tuples(*[st.lists(st.sampled_from(["a", "b"]), max_size=30).map(tuple)] * 2),
    st.tuples(st.just(()), st.lists(st.sampled_from(_SPUN_WORDS), max_size=5).map(tuple)),
)


def _same_extraction(fast, plain) -> None:
    assert fast.edits == plain.edits
    assert fast.aligned_tokens == plain.aligned_tokens
    assert fast.passages == plain.passages
    assert fast.matches.dtype == np.int64
    assert fast.matches.tolist() == plain.matches.tolist()


@settings(max_examples=500, deadline=None)
@given(st.lists(_documents, min_size=1, max_size=4))
def test_batch_extraction_equals_the_plain_reference(documents):
    alignments = align_batch([token_ids(article, reference) for article, reference in documents])
    batch = extract_edits_batch(
        alignments, [article for article, _ in documents], [reference for _, reference in documents]
    )
    for fast, alignment, (article, reference) in zip(batch, alignments, documents):
        _same_extraction(fast, extract_edits_py(alignment, article, reference))


def test_plain_reference_finds_each_kind_of_edit():
    # The generated cases above are only as good as the reference; pin what it finds.
    context = CONTEXT_BEFORE.split(), CONTEXT_AFTER.split()

    def plain_edits(article: str, reference: str):
        article_norms = (*context[0], *article.split(), *context[1])
        reference_norms = (*context[0], *reference.split(), *context[1])
        extraction = extract_edits_py(
            align(*token_ids(article_norms, reference_norms)), article_norms, reference_norms
        )
        return [(edit.kind, article_norms[slice(*edit.article_tokens)],
                 reference_norms[slice(*edit.reference_tokens)]) for edit in extraction.edits]

    assert plain_edits("a nice of", "a fine of") == [("substitution", ("nice",), ("fine",))]
    assert plain_edits("to go away the country", "to leave that country") == [
        ("substitution", ("go", "away"), ("leave",)), ("substitution", ("the",), ("that",)),
    ]
    assert plain_edits("the indisputable fact that", "the fact that") == [
        ("substitution", ("indisputable", "fact"), ("fact",)),
    ]
    assert plain_edits("we really were", "we were") == [("insertion", ("really",), ())]
    assert plain_edits("send an e mail to", "send an email to") == []


@given(st.integers(1, 4), st.integers(1, 4), st.booleans())
def test_split_of_a_substitution_keeps_every_token_in_order(n, m, related_parts):
    original = ("leave", "that", "fact", "legal")[:n] if related_parts else ("x",) * n
    replacement = ("go", "away", "the", "motion")[:m] if related_parts else ("y",) * m
    edit = Edit("substitution", (0, m), (0, n))
    parts = split_substitution_py(edit, replacement, original)
    assert [part.article_tokens for part in parts][0][0] == 0
    assert all(a.article_tokens[1] == b.article_tokens[0] and a.reference_tokens[1] == b.reference_tokens[0]
               for a, b in zip(parts, parts[1:]))
    assert (parts[-1].article_tokens[1], parts[-1].reference_tokens[1]) == (m, n)
    assert all(part.kind == "substitution" for part in parts)


@st.composite
def ids_and_gaps(draw):
    """Two id sequences over a tiny alphabet and gaps (a0, a1, r0, r1) within them."""
    article = draw(st.lists(st.integers(0, 3), max_size=20))
    reference = draw(st.lists(st.integers(0, 3), max_size=20))

    def side_range(length):
        start = draw(st.integers(0, length))
        return start, draw(st.integers(start, length))

    gaps = [side_range(len(article)) + side_range(len(reference))
            for _ in range(draw(st.integers(0, 6)))]
    return (np.array(article, dtype=np.int64), np.array(reference, dtype=np.int64),
            np.array(gaps, dtype=np.int64).reshape(-1, 4))


@settings(max_examples=300, deadline=None)
@given(ids_and_gaps())
def test_sharing_and_classified_gaps_equal_the_plain_checks(case):
    article_ids, reference_ids, gaps = case
    # Norms whose letters can match across different splits: id 2 + id 3 spells id 1.
    spelled = {0: "on", 1: "online", 2: "on", 3: "line"}
    article_norms = [spelled[i] for i in article_ids.tolist()]
    reference_norms = [spelled[i] for i in reference_ids.tolist()]
    shared_plain = [gap_shares_a_token_py(gap, article_ids, reference_ids) for gap in gaps.tolist()]
    assert _sharing_gaps(article_ids, reference_ids, gaps).tolist() == shared_plain
    shared, same_letters = _classify_gaps(
        article_ids, reference_ids, article_norms, reference_norms, gaps
    )
    assert shared.tolist() == shared_plain
    assert same_letters.tolist() == [
        not is_shared and differently_split(*gap, article_norms, reference_norms)
        for is_shared, gap in zip(shared_plain, gaps.tolist())
    ]
