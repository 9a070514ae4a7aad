from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.align import align, token_ids
from spindetect.extract import Edit, extract_edits, extract_edits_batch
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


def test_edit_is_frozen():
    edit = Edit(kind="substitution", article_tokens=(1, 2), reference_tokens=(1, 2))
    assert edit == Edit("substitution", (1, 2), (1, 2))
    assert hash(edit) == hash(Edit("substitution", (1, 2), (1, 2)))


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


def test_batch_extraction_equals_one_document_at_a_time():
    texts = [
        (in_context("a nice of 500,000 euros"), in_context("a fine of 500,000 euros")),
        (in_context("go away the country"), in_context("leave that country")),
        ("nothing in common here", "entirely different words there"),
        ("", "a reference with no article"),
    ]
    tokens = [(tokenize(a), tokenize(r)) for a, r in texts]
    alignments = [align(*token_ids(a.norms, r.norms)) for a, r in tokens]
    batch = extract_edits_batch(alignments, [a.norms for a, _ in tokens], [r.norms for _, r in tokens])
    alone = [extract_edits(al, a.norms, r.norms) for al, (a, r) in zip(alignments, tokens)]
    assert [x.edits for x in batch] == [x.edits for x in alone]
    assert [x.aligned_tokens for x in batch] == [x.aligned_tokens for x in alone]
    assert all((x.matches == y.matches).all() for x, y in zip(batch, alone))
    assert sum(len(x.edits) for x in batch) >= 3


def test_batch_extraction_rejects_unequal_lengths():
    import pytest

    with pytest.raises(ValueError, match="1 alignments, 0 article and 1 reference"):
        extract_edits_batch([align(*token_ids(("a",), ("a",)))], [], [("a",)])


def _best_chunks_plain(n, m, relatedness):
    """Every monotone pairing of non-empty chunks, scored as _best_chunks scores them; the
    first best in (i0, j0) order, as the dynamic programme picks it."""
    from spindetect.extract import CHUNK_COST, _part_number

    best = {(0, 0): (0.0, [])}
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = []
            for i0 in range(i):
                for j0 in range(j):
                    if (i0, j0) in best:
                        score, chunks = best[(i0, j0)]
                        gain = relatedness[_part_number(i0, i)][_part_number(j0, j)] - CHUNK_COST
                        options.append((score + gain, chunks + [((i0, i), (j0, j))]))
            best[(i, j)] = max(options, key=lambda option: option[0])
    whole = relatedness[_part_number(0, n)][_part_number(0, m)] - CHUNK_COST
    score, chunks = best[(n, m)]
    return chunks if score > whole + 1e-9 else [((0, n), (0, m))]


@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_best_chunks_equal_the_plain_search(n, m, data):
    from spindetect.extract import _best_chunks

    relatedness = [
        [data.draw(st.sampled_from([0.0, 1.0, 2.0])) for _ in range(m * (m + 1) // 2)]
        for _ in range(n * (n + 1) // 2)
    ]
    assert _best_chunks(n, m, relatedness) == _best_chunks_plain(n, m, relatedness)


def test_relatedness_of_parts_equals_the_scalar_lookups():
    from spindetect import lexicon
    from spindetect.extract import _parts, _relatedness

    phrases = [
        (("leave", "that"), ("go", "away", "the")),
        (("legal", "action"), ("legal", "motion")),
        (("i", "was"), ("i", "used", "to", "be")),
        (("fine",), ("nice", "of")),
    ]
    matrices = _relatedness(phrases)
    checked = 0
    for (original, replacement), matrix in zip(phrases, matrices):
        for p, (i0, i1) in enumerate(_parts(len(original))):
            for q, (j0, j1) in enumerate(_parts(len(replacement))):
                a, b = " ".join(original[i0:i1]), " ".join(replacement[j0:j1])
                related = (
                    lexicon.are_thesaurus_synonyms(a, b)
                    or lexicon.are_wordnet_synonyms(a, b)
                    or bool(set(lexicon.wordnet_lemmas(a)) & set(lexicon.wordnet_lemmas(b)))
                )
                function = all(
                    word in lexicon.FUNCTION_WORDS for word in original[i0:i1] + replacement[j0:j1]
                )
                assert matrix[p][q] == (2.0 if related else 1.0 if function else 0.0), (a, b)
                checked += 1
    assert checked == 3 * 6 + 3 * 3 + 3 * 10 + 1 * 3
    assert matrices[0][_parts(2).index((0, 1))][_parts(3).index((0, 2))] == 2.0  # leave / go away


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
