from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.align import (
    EXACT_TOKENS,
    align,
    align_batch,
    common_subsequence,
    edit_alignment,
    matches_kept_together,
    shared_ids,
    token_ids,
)
from spindetect.align_py import align_py, common_subsequence_py, edit_alignment_py, token_ids_py
import spindetect
from spindetect import compare_many
from spindetect.tokenize import tokenize


def ids(*texts: str) -> tuple[np.ndarray, ...]:
    return token_ids(*(tokenize(text).norms for text in texts))


def test_token_ids_share_one_vocabulary():
    article_ids, reference_ids = token_ids(("a", "b", "a"), ("b", "c"))
    assert article_ids.tolist() == [0, 1, 0]
    assert reference_ids.tolist() == [1, 2]
    assert article_ids.dtype == np.int64


def test_identical_texts_align_as_one_block():
    text = "one two three four five six seven eight"
    alignment = align(*ids(text, text))
    assert [p.blocks for p in alignment.passages] == [((0, 0, 8),)]


def test_single_swap_leaves_a_one_token_gap():
    article = "the regulators of the rustic met in Paris last week to talk"
    reference = "the regulators of the country met in Paris last week to talk"
    (passage,) = align(*ids(article, reference)).passages
    assert passage.gaps() == [(4, 5, 4, 5)]


def test_reordered_paragraphs_are_found_in_any_order():
    first = "Telegram has an official representative in the European Union who answers requests"
    second = "The billionaire said his company is prepared to leave any country that disagrees"
    alignment = align(*ids(f"{second} {first}", f"{first} {second}"))
    ranges = [(p.article_range, p.reference_range) for p in alignment.passages]
    # second has 13 tokens, first 12.
    assert ranges == [((0, 13), (12, 25)), ((13, 25), (0, 12))]


def test_inserted_commentary_splits_passages_and_is_not_aligned():
    source = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima"
    commentary = " ".join(f"note{i}" for i in range(30))
    article = source.rsplit(" ", 6)[0] + " " + commentary + " " + " ".join(source.split()[6:])
    alignment = align(*ids(article, source))
    assert [p.article_range for p in alignment.passages] == [(0, 6), (36, 42)]


def test_short_shared_stretches_extend_a_passage():
    # "agree with a" is only three tokens: too short to anchor, kept because it adjoins a passage.
    article = "sometimes we will't agree with a rustic's regulators on the proper balance between privacy and security"
    reference = "sometimes we can't agree with a country's regulator on the right balance between privacy and security"
    (passage,) = align(*ids(article, reference)).passages
    assert passage.article_range == (0, len(tokenize(article)))
    assert passage.reference_range == (0, len(tokenize(reference)))


def test_unrelated_texts_do_not_align():
    article = "the quick brown fox jumps over the lazy dog near the river bank today"
    reference = "stock markets fell sharply on monday as investors worried about rates"
    assert align(*ids(article, reference)).passages == ()


def test_repeated_text_aligns_occurrence_by_occurrence():
    sentence = "the same sentence again and again. "
    text = sentence * 50
    (passage,) = align(*ids(text, text)).passages
    assert passage.article_range == (0, 300) and passage.gaps() == []


def test_empty_sequences():
    empty = np.empty(0, dtype=np.int64)
    assert align(empty, empty).passages == ()
    assert align(empty, np.arange(10, dtype=np.int64)).passages == ()


def test_common_subsequence():
    assert common_subsequence([1, 2, 3, 4], [2, 9, 4]) == [(1, 0), (3, 2)]
    assert common_subsequence([], [1]) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=14), st.lists(st.integers(0, 4), max_size=14))
def test_common_subsequence_is_the_table_walk(left, right):
    assert common_subsequence(left, right) == common_subsequence_py(left, right)


def test_common_subsequence_beyond_one_machine_word():
    # 150 tokens a side: the bit rows span three 64-bit words.
    left = [value % 7 for value in range(150)]
    right = [value % 5 for value in range(150)]
    assert common_subsequence(left, right) == common_subsequence_py(left, right)


_norm_lists = st.lists(st.sampled_from(["a", "b", "c", "fine", "nice", "", "é"]), max_size=30)


@settings(max_examples=200, deadline=None)
@given(_norm_lists, _norm_lists)
def test_fast_token_ids_equal_the_plain_loop(article_norms: list[str], reference_norms: list[str]):
    fast = token_ids(tuple(article_norms), tuple(reference_norms))
    plain = token_ids_py(tuple(article_norms), tuple(reference_norms))
    assert [ids.tolist() for ids in fast] == [ids.tolist() for ids in plain]
    assert all(ids.dtype == np.int64 for ids in fast)


def test_shared_ids_use_one_vocabulary_for_many_sequences():
    first, second, empty = shared_ids([("b", "a", "b"), ("c", "a"), ()], ["a", "b", "c"])
    assert first.tolist() == [1, 0, 1] and second.tolist() == [2, 0]
    assert empty.tolist() == [] and empty.dtype == np.int64


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=40), st.lists(st.integers(0, 5), max_size=40),
       st.permutations(range(6)))
def test_alignment_depends_only_on_which_ids_are_equal(
    article: list[int], reference: list[int], relabel: list[int]
):
    # compare_many gives a batch one vocabulary, so a pair's ids differ from compare's;
    # the blocks must not.
    relabelled = np.array(relabel, dtype=np.int64)
    article_ids, reference_ids = np.array(article, dtype=np.int64), np.array(reference, dtype=np.int64)
    original = align(article_ids, reference_ids).passages
    renamed = align(relabelled[article_ids] + 1000, relabelled[reference_ids] + 1000).passages
    assert renamed == original


@given(st.lists(st.integers(0, 6), min_size=1, max_size=20))
def test_sorted_groups_are_numpy_unique_of_a_sorted_array(values):
    from spindetect.align import _sorted_groups

    keys = np.sort(np.array(values, dtype=np.uint64))
    expected = np.unique(keys, return_index=True, return_counts=True)
    for got, want in zip(_sorted_groups(keys), expected):
        assert got.tolist() == want.tolist()


_id_sequences = st.lists(st.integers(0, 5), max_size=40).map(
    lambda values: np.array(values, dtype=np.int64)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_id_sequences, _id_sequences), max_size=5))
def test_align_batch_is_align_of_each_pair(pairs):
    batch = align_batch(pairs)
    assert len(batch) == len(pairs)
    for alignment, (article, reference) in zip(batch, pairs):
        alone = align(article, reference)
        assert alignment.passages == alone.passages
        assert alignment.article_ids is article and alignment.reference_ids is reference


def test_align_batch_keeps_pairs_apart():
    # The same text in two pairs: each article aligns with its own reference only.
    text, other = ids("one two three four five six seven eight", "nine ten eleven twelve")
    first, second = align_batch([(text, other), (other, text)])
    assert first.passages == () and second.passages == ()


def test_align_batch_names_a_bad_pair():
    import pytest

    good = np.array([1, 2, 3], dtype=np.int64)
    with pytest.raises(TypeError, match=r"pairs\[1\] reference_ids must be a 1-D integer"):
        align_batch([(good, good), (good, [1, 2, 3])])
    with pytest.raises(TypeError, match=r"pairs\[0\] article_ids .* dtype float64"):
        align_batch([(np.array([1.0]), good)])
    with pytest.raises(TypeError, match=r"pairs\[0\] must be an"):
        align_batch([good])
    assert align_batch([]) == []


# Small alphabets and repeats are where ties, shifted diagonals and frequent k-grams live.
_tokens = st.integers(0, 3) | st.integers(0, 12)
_repetitive = st.builds(
    lambda unit, times, tail: unit * times + tail,
    st.lists(st.integers(0, 5), min_size=1, max_size=6), st.integers(1, 12),
    st.lists(st.integers(0, 5), max_size=6),
)


@st.composite
def _related_pairs(draw) -> tuple[np.ndarray, np.ndarray]:
    """A sequence and a copy of it with tokens replaced, inserted and deleted, or two
    unrelated sequences."""
    article = draw(st.lists(_tokens, max_size=70) | _repetitive)
    reference = list(article)
    for _ in range(draw(st.integers(0, 8))):
        position = draw(st.integers(0, len(reference)))
        edit = draw(st.sampled_from(["replace", "insert", "delete"]))
        if edit == "insert" or position == len(reference):
            reference.insert(position, draw(_tokens))
        elif edit == "replace":
            reference[position] = draw(_tokens)
        else:
            del reference[position]
    if draw(st.booleans()):
        reference = draw(st.lists(_tokens, max_size=70) | _repetitive)
    return np.array(article, dtype=np.int64), np.array(reference, dtype=np.int64)


@settings(max_examples=400, deadline=None)
@given(st.lists(_related_pairs(), min_size=1, max_size=4))
def test_align_batch_equals_the_plain_reference(pairs):
    for fast, (article, reference) in zip(align_batch(pairs), pairs):
        assert fast.passages == align_py(article, reference).passages


# -- edges, short pairs, sparse anchors (issue 17) -----------------------------------------


def gaps_of(alignment) -> list[tuple[int, int, int, int]]:
    return [gap for passage in alignment.passages for gap in passage.gaps()]


def test_a_swap_of_the_first_or_last_token_is_a_gap_of_its_passage():
    words = "the court imposed a large fine on the company on monday".split()
    for position in (0, len(words) - 1):
        spun = list(words)
        spun[position] = "rustic"
        (passage,) = align(*token_ids(spun, words)).passages
        assert passage.gaps() == [(position, position + 1, position, position + 1)]
        assert passage.article_range == passage.reference_range == (0, len(words))


def test_a_swap_at_the_edge_of_a_long_text_is_a_gap_too():
    # Long texts are anchored, not aligned exactly: the passage grows to the text edge.
    words = [f"word{k}" for k in range(EXACT_TOKENS + 40)]
    spun = ["rustic", *words[1:-1], "nice"]
    (passage,) = align(*token_ids(spun, words)).passages
    assert passage.gaps() == [(0, 1, 0, 1), (len(words) - 1, len(words), len(words) - 1, len(words))]
    assert passage.blocks[0] == (0, 0, 0) and passage.blocks[-1] == (len(words), len(words), 0)


def test_a_phrase_swap_at_the_text_edge_is_one_gap():
    words = "leave the markets of the union".split()
    spun = ["go", "away", *words[1:]]
    (passage,) = align(*token_ids(spun, words)).passages
    assert passage.gaps() == [(0, 2, 0, 1)]


def test_one_token_aligns_with_itself_and_two_one_token_texts_are_one_swap():
    (same,) = align(*ids("Hello", "Hello")).passages
    assert same.blocks == ((0, 0, 1),)
    (swapped,) = align(*ids("Nice", "Fine")).passages
    assert swapped.blocks == ((0, 0, 0), (1, 1, 0)) and swapped.gaps() == [(0, 1, 0, 1)]


def test_short_texts_without_a_shared_trigram_align_exactly():
    # "was large" is all that survives in a row: no anchor, but the exact alignment finds it.
    (passage,) = align(*ids("The nice was large.", "The fine was large.")).passages
    assert passage.gaps() == [(1, 2, 1, 2)]


def test_a_sentence_moved_within_a_short_text_is_still_found():
    first = "the regulators met in paris last week to talk about privacy rules"
    second = "telegram said it would answer every lawful request from the union"
    alignment = align(*ids(f"{second} {first}", f"{first} {second}"))
    ranges = sorted((p.article_range, p.reference_range) for p in alignment.passages)
    assert ranges == [((0, 11), (12, 23)), ((11, 23), (0, 12))]


def test_heavy_spin_in_a_long_text_is_anchored_on_unique_tokens():
    # Every third token differs: no three tokens in a row survive, but the tokens that occur
    # once in both texts chain up, and the exact fill between them finds the rest.
    filler = [f"filler{k}" for k in range(EXACT_TOKENS)]
    paragraph = [f"word{k}" for k in range(60)]
    spun = [f"spun{k}" if k % 3 == 1 else word for k, word in enumerate(paragraph)]
    article_ids, reference_ids = token_ids(
        [f"other{k}" for k in range(EXACT_TOKENS)] + spun, filler + paragraph
    )
    (passage,) = align(article_ids, reference_ids).passages
    assert passage.article_range[0] >= EXACT_TOKENS - 1
    assert passage.reference_range[0] >= EXACT_TOKENS - 1
    changed = {EXACT_TOKENS + k for k in range(60) if k % 3 == 1}
    assert {gap[0] for gap in passage.gaps()} >= changed - {EXACT_TOKENS + 59}


def test_unrelated_short_texts_sharing_function_words_do_not_align():
    for article, reference in [
        ("The company said it would cut jobs", "The man said he was not sure"),
        ("A spokesman for the ministry of defence", "The rest of the world is watching"),
    ]:
        assert align(*ids(article, reference)).passages == ()


def test_with_a_vocabulary_a_small_passage_needs_its_differences_to_be_swaps():
    # Pairs of the same shape: one shared word, the rest different; only the thesaurus
    # tells the swap from chance.
    for article, reference, kept in [
        ("The nice was", "The fine is", True),
        ("The nest was", "The defendant is", False),
        ("The nest", "The defendant said", False),
        ("The nest sang loudly", "The defendant wept loudly", False),
        ("Accused his", "Charged his", True),
        ("This lunar year", "This year", True),  # "year" -> "lunar year"
    ]:
        article_norms, reference_norms = tokenize(article).norms, tokenize(reference).norms
        vocabulary = list(dict.fromkeys(article_norms + reference_norms))
        article_ids, reference_ids = token_ids(article_norms, reference_norms)
        assert len(align(article_ids, reference_ids).passages) == 1
        confirmed = align(article_ids, reference_ids, vocabulary=vocabulary).passages
        assert bool(confirmed) is kept, (article, reference)


def test_a_short_text_spun_one_for_one_aligns_whatever_the_dictionary():
    # The spinner's synonyms are not ours ("clearly" -> "acutely", "each" -> "anniversary"),
    # but half of each text is matched in order, with content words, and every difference
    # replaces words one for one: a spinner's shape (keeps_spun_shape). Sentences that only
    # share words do not have it.
    for article, reference, kept in [
        ("Think acutely of anniversary essential, one afterwards the other.",
         "Think clearly of each essential, one after the other.", True),
        ("I ought glance funny within my pelisse.", "I must look funny in my pelisse.", True),
        ("Any added scheme would bang been unworkable.",
         "Any other system would have been impracticable.", False),  # three of seven matched
        ("The company said it would cut jobs", "The man said he was not sure", False),
    ]:
        article_norms, reference_norms = tokenize(article).norms, tokenize(reference).norms
        vocabulary = list(dict.fromkeys(article_norms + reference_norms))
        article_ids, reference_ids = token_ids(article_norms, reference_norms)
        passages = align(article_ids, reference_ids, vocabulary=vocabulary).passages
        assert bool(passages) is kept, (article, reference)
        assert align_py(article_ids, reference_ids, vocabulary=vocabulary).passages == passages


def test_one_word_replaced_in_a_short_text_is_kept_whatever_the_words():
    # Both texts whole, one word of one for one word of the other: a copy with one change,
    # however short (issue 17's property); the score, not the alignment, judges the words.
    for article, reference in [("The nest", "The defendant"), ("They", "It"), ("cat", "dog"),
                               ("Nest the", "Defendant the")]:
        article_norms, reference_norms = tokenize(article).norms, tokenize(reference).norms
        vocabulary = list(dict.fromkeys(article_norms + reference_norms))
        article_ids, reference_ids = token_ids(article_norms, reference_norms)
        (passage,) = align(article_ids, reference_ids, vocabulary=vocabulary).passages
        assert len(passage.gaps()) == 1, (article, reference)
        assert align_py(article_ids, reference_ids, vocabulary=vocabulary).passages == (passage,)


def test_the_vocabulary_leaves_passages_of_five_matched_tokens_alone():
    article_norms = tuple("the nest was paid by the firm".split())
    reference_norms = tuple("the defendant was paid by the firm".split())
    vocabulary = list(dict.fromkeys(article_norms + reference_norms))
    alignment = align(*token_ids(article_norms, reference_norms), vocabulary=vocabulary)
    assert gaps_of(alignment) == [(1, 2, 1, 2)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_tokens, max_size=90), st.lists(_tokens, max_size=90))
def test_edit_alignment_is_the_plain_table_walk(article: list[int], reference: list[int]):
    assert edit_alignment(article, reference) == edit_alignment_py(article, reference)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=EXACT_TOKENS), st.data())
def test_one_replaced_token_is_exactly_one_substitution(tokens: list[int], data):
    position = data.draw(st.integers(0, len(tokens) - 1))
    replacement = data.draw(st.integers(0, 41).filter(lambda token: token != tokens[position]))
    spun = list(tokens)
    spun[position] = replacement
    alignment = align(np.array(spun, dtype=np.int64), np.array(tokens, dtype=np.int64))
    assert gaps_of(alignment) == [(position, position + 1, position, position + 1)]
    assert sum(passage.matched_tokens for passage in alignment.passages) == len(tokens) - 1


@st.composite
def _long_pairs(draw) -> tuple[np.ndarray, np.ndarray]:
    """A long sequence (past EXACT_TOKENS, so anchored rather than aligned exactly) and a
    copy with stretches moved and tokens replaced, some heavily."""
    size = draw(st.integers(EXACT_TOKENS + 1, EXACT_TOKENS + 120))
    alphabet = draw(st.sampled_from([8, 60, 400]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    article = rng.integers(0, alphabet, size=size)
    reference = article.copy()
    rate = draw(st.sampled_from([0.05, 0.3, 0.5]))
    replaced = rng.random(size) < rate
    reference[replaced] = rng.integers(0, alphabet + 50, size=int(replaced.sum()))
    cut = draw(st.integers(0, size))
    reference = np.concatenate((reference[cut:], reference[:cut]))
    return article.astype(np.int64), reference.astype(np.int64)


@settings(max_examples=60, deadline=None)
@given(st.lists(_long_pairs() | _related_pairs(), min_size=1, max_size=3))
def test_align_batch_equals_the_plain_reference_on_long_pairs(pairs):
    for fast, (article, reference) in zip(align_batch(pairs), pairs):
        assert fast.passages == align_py(article, reference).passages


_WORDS = ["the", "of", "fine", "nice", "country", "rustic", "leave", "go", "away", "year",
          "lunar", "nest", "defendant", "court", "paid", "it", "they"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.integers(0, len(_WORDS) - 1), max_size=12),
                          st.lists(st.integers(0, len(_WORDS) - 1), max_size=12)),
                min_size=1, max_size=4))
def test_align_batch_confirms_small_passages_as_the_plain_reference_does(word_pairs):
    pairs = [(np.array(a, dtype=np.int64), np.array(r, dtype=np.int64)) for a, r in word_pairs]
    for fast, (article, reference) in zip(align_batch(pairs, vocabulary=_WORDS), pairs):
        assert fast.passages == align_py(article, reference, _WORDS).passages


UNRELATED = [
    "The company said it would cut two thousand jobs by the end of the year.",
    "Rain is expected in the north of the country tomorrow morning.",
    "The nest was built high in the old oak tree behind the barn.",
    "Shares of the bank fell sharply after the report on Monday.",
    "The defendant told the court that he had never met the witness.",
    "A spokesman for the ministry declined to comment on the matter.",
    "Bread needs flour, water, salt and a little patience.",
    "It was the first time in years that the team had won at home.",
]


def test_unrelated_short_texts_of_one_length_give_no_flagged_swap():
    pairs = [
        (" ".join(article.split()[:length]), " ".join(reference.split()[:length]))
        for article in UNRELATED for reference in UNRELATED if article != reference
        for length in range(1, 11)
    ]
    reports = compare_many(pairs)
    # Texts that differ in one word only ("The nest" / "The company", and any two one-word
    # texts) are one word replaced, not unrelated: issue 17 finds that swap at any length
    # and the scorer judges it as it judges any swap (a copied "The" is no evidence it
    # fits). Of the others none may be flagged.
    def one_word_replaced(article: str, reference: str) -> bool:
        a, r = article.split(), reference.split()
        return len(a) == len(r) and sum(x != y for x, y in zip(a, r)) == 1
    unrelated = [report for (article, reference), report in zip(pairs, reports)
                 if not one_word_replaced(article, reference)]
    assert len(unrelated) > len(pairs) * 0.8
    assert not [report for report in unrelated if report.flagged]
    # Beyond those what is found at all is rare: a sentence start both share ("The ...")
    # is no copy.
    longer = [report for (article, _), report in zip(pairs, reports) if " " in article]
    assert sum(bool(report.swaps) for report in longer) <= len(longer) // 50


def test_with_a_vocabulary_a_reworded_sentence_is_not_taken_for_a_spun_copy():
    # PAN-PC-10 train, a negative pair: the sentences share "to attempt", "the river",
    # "farther", "the ship" by topic. The exact alignment strings them into a dense piece,
    # but none of its differences is a thesaurus swap, so the piece is not believed.
    reference = ("Upon the return of the boat, the mate having reported that it was useless to "
                 "attempt any farther ascent of the river with the ship, Sir Henry commenced his "
                 "return.")
    article = ("It was now manifest that no northwest passage to the Indies could be found in "
               "this direction, and it was not deemed expedient to attempt to ascend the river "
               "any farther in the ship.")
    article_norms, reference_norms = tokenize(article).norms, tokenize(reference).norms
    vocabulary = list(dict.fromkeys(article_norms + reference_norms))
    article_ids, reference_ids = token_ids(article_norms, reference_norms)
    assert align(article_ids, reference_ids).passages
    assert align(article_ids, reference_ids, vocabulary=vocabulary).passages == ()
    assert compare_many([(article, reference)])[0].swaps == ()


@pytest.mark.parametrize("article_copies, reference_copies", [(1, 2), (2, 1), (1, 3)])
def test_a_sentence_repeated_in_the_other_text_keeps_its_swap(article_copies, reference_copies):
    # The alignment took its first matches from one copy and its last from another, so the
    # replaced word faced a whole copy, too long for a swap: no swap, and a passage over
    # both copies (a third audit, stop 27).
    article = " ".join(["The court imposed a nice of 500,000 euros on the company."] * article_copies)
    reference = " ".join(["The court imposed a fine of 500,000 euros on the company."] * reference_copies)
    report = spindetect.compare(article, reference)
    assert [(swap.reference_text, swap.article_text) for swap in report.swaps[:1]] == [("fine", "nice")]
    assert report.to_dict()["passages"][0] == {"article_span": [0, 56], "reference_span": [0, 56]}


def test_matches_kept_together_moves_only_onto_the_same_tokens():
    # The stretch after a long one-sided gap moves back only where it repeats.
    assert matches_kept_together([(0, 0), (2, 6)], [7, 8, 9], [7, 5, 9, 1, 2, 3, 9]) == [(0, 0), (2, 2)]
    assert matches_kept_together([(0, 0), (2, 7)], [7, 8, 9], [7, 1, 2, 3, 4, 5, 6, 9]) == [(0, 0), (2, 7)]
