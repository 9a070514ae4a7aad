from __future__ import annotations

import functools
import importlib
from unittest import mock

import numpy as np
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.tokenize import _array_batch, tokenize, tokenize_batch
from spindetect.tokenize_py import tokenize_batch_py, tokenize_py
from spindetect.tokenize_spans import _character_classes
from spindetect.tokens import APOSTROPHES, TOKEN_PATTERN, TokenBatch, Tokens, normalize_token

surfaces_module = importlib.import_module("spindetect.tokenize_surfaces")


def surfaces(text: str) -> list[str]:
    tokens = tokenize(text)
    return [text[start:end] for start, end in zip(tokens.starts, tokens.ends)]


def test_offsets_slice_the_original_text():
    text = "Durov’s “misguided” approach — 500,000 euros ($555,833)."
    tokens = tokenize(text)
    assert surfaces(text) == ["Durov", "’s", "misguided", "approach", "500,000", "euros", "555,833"]
    assert tokens.norms == ("durov", "'s", "misguided", "approach", "500,000", "euros", "555,833")


def test_punctuation_and_quotes_are_not_tokens():
    assert tokenize("“Hello,” she said — twice!").norms == ("hello", "she", "said", "twice")


@pytest.mark.parametrize(
    ("contracted", "expanded"),
    [
        ("we're", "we are"),
        ("We’re", "we are"),
        ("can't", "cannot"),
        ("can’t", "can not"),
        ("won't", "will not"),
        ("doesn't", "does not"),
        ("I'm", "I am"),
        ("they've", "they have"),
        ("she'll", "she will"),
        ("it's", "it is"),
        ("let's", "let us"),
    ],
)
def test_contractions_match_their_expansion(contracted: str, expanded: str):
    assert tokenize(contracted).norms == tokenize(expanded).norms


def test_possessive_s_stays_a_token():
    assert tokenize("the country's regulators").norms == ("the", "country", "'s", "regulators")


def test_spinner_contraction_is_not_expanded():
    # "won't" spun into "will't" is a swap to find, not a spelling to forgive.
    assert tokenize("will't").norms == ("will't",)


def test_contraction_pieces_have_their_own_offsets():
    text = "We can't go"
    assert surfaces(text) == ["We", "ca", "n't", "go"]
    assert tokenize(text).norms == ("we", "can", "not", "go")


def test_cannot_splits_into_two_tokens_covering_the_word():
    assert surfaces("cannot") == ["can", "not"]


def test_case_width_and_compatibility_forms_normalise():
    assert normalize_token("ＦＩＮＥ") == "fine"
    assert normalize_token("ﬁne") == "fine"
    assert normalize_token("Straße") == "strasse"


def test_a_letter_whose_normal_form_starts_with_an_apostrophe_loses_it_without_recursion():
    # U+0149 is "ʼn" under NFKC: the apostrophe is dropped as it is at a token's start.
    assert tokenize_py("\u0149").norms == ("n",)
    assert tokenize_py("\u0149").starts.tolist() == [0]
    assert tokenize_py("\u200b'\u0149s").norms == ("ns",)
    assert tokenize_py("\u200b'\u0149s").starts.tolist() == [2]


@functools.lru_cache(maxsize=1)
def _characters_normalised_otherwise() -> list[str]:
    """Every token character (and apostrophe) whose matching form is not its lower case:
    NFKC expansions, ligatures, compatibility and confusable characters."""
    found = []
    for code in range(0x110000):
        character = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        if not regex.fullmatch(TOKEN_PATTERN, character) and character not in APOSTROPHES:
            continue
        if normalize_token(character) != character.lower():
            found.append(character)
    return found


_NORMALISATION_CONTEXTS = (
    "{c}", "a{c}", "{c}a", "\u200b{c}s", "don{c}t", "{c}'s", "a{c}'t", "we{c}re",
    "\u200b'{c}", "1{c},5", "{c}.2",
)


def test_every_character_normalised_otherwise_tokenizes_in_every_context():
    # The class of U+0149: thousands of characters whose normal form expands, starts with
    # or holds punctuation. Each, in contexts that reach every branch of the splitting, gives
    # tokens inside the text, the same from the plain loop and the array passes.
    characters = _characters_normalised_otherwise()
    assert len(characters) > 4000 and "\u0149" in characters and "\ufb01" in characters
    texts = [context.format(c=c) for c in characters for context in _NORMALISATION_CONTEXTS]
    batch = _array_batch(texts)
    for text, fast in zip(texts, batch.tokens):
        plain = tokenize_py(text)
        _same_tokens(fast, plain)
        assert all(0 <= s <= e <= len(text) for s, e in zip(plain.starts, plain.ends))


def test_invisible_characters_stay_inside_the_word():
    text = "spin\u200bner and soft\u00adware"
    assert tokenize(text).norms == ("spinner", "and", "software")
    assert surfaces(text)[0] == "spin\u200bner"


# The audit's examples of invisible characters that are not format characters.
AUDIT_INVISIBLE = "\ufe0f\U000e0100\u034f\u3164\u115f\u1160\uffa0\u17b4\u180b"


def test_the_invisible_class_is_every_default_ignorable_and_format_character(
    invisible_characters: list[str],
):
    characters = invisible_characters
    ignorable = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    assert set(AUDIT_INVISIBLE) <= set(characters)
    assert {"\u200b", "\u00ad", "\ufeff", "\u0600"} <= set(characters)  # format characters
    assert sum(map(bool, map(ignorable.fullmatch, characters))) > 4000
    # The fast tokenizer's table classes each as invisible and nothing else that matters.
    bits = _character_classes()[[ord(character) for character in characters]]
    assert ((bits & 7) == 4).all()


def test_invisible_characters_inside_a_word_are_folded_away(invisible_characters: list[str]):
    characters = invisible_characters
    texts = [f"f{c}ine {c}of 5{c}00,0{c}00 eu{c}ro{c}s" for c in characters]
    for tokens in _array_batch(texts).tokens:
        assert tokens.norms == ("fine", "of", "500,000", "euros")
    assert [tokenize_py(text).norms for text in texts[::97]] == [
        ("fine", "of", "500,000", "euros")
    ] * len(texts[::97])


def test_an_invisible_character_between_a_letter_and_its_accent_does_not_keep_them_apart():
    assert normalize_token("e\u034f\u0301t\u00e9") == normalize_token("\u00e9t\u00e9") == "été"


def test_an_invisible_character_standing_alone_is_no_token():
    assert tokenize_py("I \u2764\ufe0f you \u3164 all").norms == ("i", "you", "all")


@pytest.mark.parametrize("tokenizer", [tokenize_py, lambda text: _array_batch([text]).tokens[0]])
def test_a_leading_byte_order_mark_is_not_part_of_the_first_word(tokenizer):
    # A UTF-8 file read with the mark kept, as open(path, encoding="utf-8") does.
    tokens = tokenizer("\ufeffThe fine was paid. \ufeffOnly the first is a mark.")
    assert tokens.norms[:2] == ("the", "fine")
    assert (tokens.starts[0], tokens.ends[0]) == (1, 4)  # offsets into the text with its mark
    assert tokens.text[tokens.starts[4]:tokens.ends[4]] == "\ufeffOnly"


def test_list_markers_give_the_same_tokens():
    assert tokenize("1. first\n2. second").norms == tokenize("1) first\n2) second").norms


def test_cjk_ideographs_are_one_token_each():
    assert tokenize("東京都").norms == ("東", "京", "都")


def test_empty_and_whitespace_text_have_no_tokens():
    assert len(tokenize("")) == 0
    assert len(tokenize("  \n\t ")) == 0
    assert tokenize("").starts.dtype.name == "int64"


# The fast tokenizer against the plain loop kept as its reference (tokenize_py).
_FAST_WORDS = ["We're", "can't", "cannot", "let's", "it's", "Durov’s", "500,000", "15.5",
               "東京", "spin\u200bner", "\u200b", "ＦＩＮＥ", "ﬁne", "—", "“", "will't",
               "rustic's", "o'clock", "'s", "n't", "1.", "2)", "\u00ad", "Straße"]
# Characters whose order decides where tokens end: letters, digits of several kinds, the
# separators, every apostrophe (U+02BC is also a letter), format characters, ideographs and
# kana (and ideographic characters that are not letters), combining marks, emoji, dashes.
_PLAIN_CHARACTERS = "aZé5" + "0²٣Ⅻ" + ".," + APOSTROPHES + " -—\n\x00"
_HARD_CHARACTERS = (
    "\u200b\u00ad\u2060\ufeff東のカ〇⺀ー\u0301😀"
    # invisible characters that are not format characters: letters, marks, unassigned
    "\ufe0f\U000e0100\u034f\u3164\u115f\u1160\uffa0\u17b4\u180b\ufff0"
)
_fast_texts = st.one_of(
    st.lists(st.sampled_from(_FAST_WORDS), max_size=40).map(" ".join),
    st.lists(st.sampled_from(_FAST_WORDS + [" ", "\n", ",", "'"]), max_size=40).map("".join),
    st.text(max_size=200),
    st.text(alphabet=_PLAIN_CHARACTERS, max_size=80),
    st.text(alphabet=_PLAIN_CHARACTERS + _HARD_CHARACTERS, max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
)


def _same_tokens(fast: Tokens, plain: Tokens) -> None:
    assert fast.text == plain.text
    assert fast.norms == plain.norms
    assert fast.starts.tolist() == plain.starts.tolist()
    assert fast.ends.tolist() == plain.ends.tolist()
    assert fast.starts.dtype == fast.ends.dtype == np.int64


@settings(max_examples=300, deadline=None)
@given(_fast_texts)
def test_fast_tokenize_equals_the_plain_loop(text: str):
    _same_tokens(_array_batch([text]).tokens[0], tokenize_py(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_PLAIN_CHARACTERS, max_size=40))
def test_fast_tokenize_equals_the_plain_loop_on_numbers_and_apostrophes(text: str):
    _same_tokens(_array_batch([text]).tokens[0], tokenize_py(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_PLAIN_CHARACTERS + _HARD_CHARACTERS, max_size=40))
def test_fast_tokenize_equals_the_plain_loop_with_invisible_characters_and_ideographs(text: str):
    _same_tokens(_array_batch([text]).tokens[0], tokenize_py(text))


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="a5.,'\u200b ", max_size=12))
def test_fast_tokenize_equals_the_plain_loop_on_a_small_alphabet(text: str):
    # Few characters, so that every order of digits, letters, separators, apostrophes and
    # format characters is tried.
    _same_tokens(_array_batch([text]).tokens[0], tokenize_py(text))


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="東の⺀〇a1.'\u200b ", max_size=10))
def test_fast_tokenize_equals_the_plain_loop_on_ideographs(text: str):
    _same_tokens(_array_batch([text]).tokens[0], tokenize_py(text))


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\u200b", "\u200b \u200b word", "x" * 10_000, "can't " * 50 + "we're",
     "a\u200bb can\u2019t CANNOT Let's 1,000,000.5", "1,5a 1.5's a'b1 a'1 12'ab.3 1.2'b",
     "1990s. mp3's 2nd,3rd 1,000abc 東京1,000 a\u200b'b x\ud800y", "\x00a\x00", "a" * 70_000,
     "1," * 5_000 + "1", "a'" * 5_000 + "a", "東" * 1_000 + "a" * 1_000,
     "abcdefgh abcdefghi ABCDEFGH abcdefgh 12345678 1,234,56 rustic's can't",
     " ".join(f"w{number}" for number in range(3_000)), "1,\u200b5 0.\xad0 \u200b5,3 5\u200b's",
     "a'\u200b5 \u200b.5 \u200b's \u200b\u200b a\u200b \u200b",
     "東京都に行く。東⺀ \u200b⺀ a⺀ 東'京 a'東 東a 〇.5 東\u200b ⺀'s ⺀⺀",
     "中国" * 2_000 + "，" + "日本語のテキスト" * 500, "\ufeff", "\ufeff\ufeffa \ufeff1,5 b"],
)
def test_fast_tokenize_equals_the_plain_loop_on_edge_cases(text: str):
    _same_tokens(_array_batch([text]).tokens[0], tokenize_py(text))


def test_tokenize_is_the_plain_loop_for_short_texts_and_the_batch_for_long_ones():
    short, long = "We can't go", "We can't go " * 200
    _same_tokens(tokenize(short), tokenize_py(short))
    _same_tokens(tokenize(long), _array_batch([long]).tokens[0])
    _same_tokens(tokenize(long), tokenize_py(long))


@settings(max_examples=150, deadline=None)
@given(st.lists(_fast_texts, max_size=6))
def test_tokenize_batch_equals_the_plain_loop(texts: list[str]):
    plain = tokenize_batch_py(texts)
    # tokenize_batch, and its array passes alone (which it skips for a short batch).
    for batch in (tokenize_batch(texts), _array_batch(texts) if texts else tokenize_batch(texts)):
        _same_batch(batch, plain)


def _same_batch(fast: TokenBatch, plain: TokenBatch) -> None:
    assert len(fast.tokens) == len(fast.ids) == len(plain.tokens)
    for fast_tokens, plain_tokens in zip(fast.tokens, plain.tokens):
        _same_tokens(fast_tokens, plain_tokens)
    assert [text_ids.tolist() for text_ids in fast.ids] == [ids.tolist() for ids in plain.ids]
    assert fast.vocabulary == plain.vocabulary
    assert all(text_ids.dtype == np.int64 for text_ids in fast.ids)


def test_tokenize_batch_of_nothing_and_of_empty_texts():
    assert tokenize_batch([]) == TokenBatch(tokens=(), ids=(), vocabulary=())
    batch = tokenize_batch(["", "word", ""])
    assert [len(tokens) for tokens in batch.tokens] == [0, 1, 0]
    assert batch.vocabulary == ("word",)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=0x10FFFF))
def test_character_classes_follow_the_token_pattern(code: int):
    # The table the fast tokenizer classifies by must say what the regex's classes say.
    character = chr(code)
    bits = int(_character_classes()[code])
    invisible = bool(regex.fullmatch(r"[\p{Cf}\p{Default_Ignorable_Code_Point}]", character))
    assert bool(bits & 1) == (bool(regex.fullmatch(r"[\p{L}\p{M}]", character)) and not invisible)
    assert bool(bits & 2) == bool(regex.fullmatch(r"\p{N}", character))
    assert bool(bits & 4) == invisible
    assert bool(bits & 8) == bool(regex.fullmatch(r"[\p{Han}\p{Hiragana}\p{Katakana}]", character))
    assert bool(bits & 16) == (character in ".,")
    assert bool(bits & 32) == (character in APOSTROPHES and not bits & 7)


_key_pools = st.lists(st.integers(min_value=1, max_value=2**64 - 1), min_size=1, max_size=40)
_key_lists = _key_pools.flatmap(lambda pool: st.lists(st.sampled_from(pool), max_size=120))


@settings(max_examples=300, deadline=None)
@given(_key_lists, st.integers(min_value=1, max_value=3))
def test_key_groups_are_equal_exactly_for_equal_keys(values: list[int], max_probes: int):
    # Tables are small (twice the number of keys), so distinct keys often collide.
    keys = np.array(values, dtype=np.uint64)
    groups = surfaces_module._key_groups(keys, max_probes=max_probes)
    placed = groups >= 0
    pairs = {(int(key), int(group)) for key, group in zip(keys[placed], groups[placed])}
    assert len({key for key, _ in pairs}) == len({group for _, group in pairs}) == len(pairs)
    assert sorted({group for _, group in pairs}) == list(range(len(pairs)))
    # A key is placed everywhere it occurs or nowhere; two keys need at most two probes.
    assert not set(keys[placed].tolist()) & set(keys[~placed].tolist())
    if len(set(values)) <= 2 and max_probes >= 2:
        assert placed.all()


@settings(max_examples=50, deadline=None)
@given(st.lists(_fast_texts, max_size=4))
def test_tokenize_batch_with_short_words_left_to_the_dict(texts: list[str]):
    # With one probe, many short words are not placed in the numpy table and are grouped as
    # strings instead, beside the ones that were.
    one_probe = functools.partial(surfaces_module._key_groups, max_probes=1)
    with mock.patch.object(surfaces_module, "_key_groups", one_probe):
        batch = _array_batch(texts) if texts else tokenize_batch(texts)
    _same_batch(batch, tokenize_batch_py(texts))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=6))
def test_classes_computed_as_texts_come_equal_the_whole_table(texts: list[str]):
    from spindetect.tokenize_spans import _ClassTable

    table = _ClassTable()  # a fresh table knows ASCII only
    for text in texts:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        assert table.of(codes, text).tolist() == _character_classes()[codes].tolist()
    assert table.known[:0x80].all() and table.known.sum() <= 0x80 + sum(map(len, texts))


def test_no_token_character_is_whitespace():
    # The fast tokenizer unpacks short words from their keys with str.split().
    spaces = [code for code in range(0x110000) if chr(code).isspace()]
    assert len(spaces) > 20
    assert not _character_classes()[spaces].any()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=5))
def test_join_tokens_is_each_text_tokenized_in_the_joined_text(texts: list[str]):
    from spindetect.tokenize import join_tokens

    token_lists = [tokenize(text) for text in texts]
    joined, first = join_tokens(token_lists)
    assert joined.text == "\n".join(texts)
    assert first.tolist() == [sum(len(t) for t in token_lists[:k]) for k in range(len(texts) + 1)]
    for tokens, low, high in zip(token_lists, first[:-1].tolist(), first[1:].tolist()):
        assert joined.norms[low:high] == tokens.norms
        assert [joined.text[s:e] for s, e in zip(joined.starts[low:high], joined.ends[low:high])] == [
            tokens.text[s:e] for s, e in zip(tokens.starts, tokens.ends)
        ]
