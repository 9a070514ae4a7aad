#!/usr/bin/env python3
"""Build ``data/senses.table``: what the scorer needs to judge a swap's sense and valency.

For every WordNet 3.0 synset (rows of the shipped synset table, ``wordnet.table``):

* a **signature**, the words a context uses when it means that sense (simplified Lesk): the
  content words of the synset's gloss and examples, its own lemmas and those of its direct
  hypernyms, each mapped to its WordNet base forms (morphy) and stored as vocabulary ids;
* for each sense entry of ``wordnet.table``, whether WordNet writes that lemma with a capital
  there (a name: "Nice" the city is no noun sense of "nice");
* for verb synsets, the **verb frames** WordNet lists ("Somebody ----s something", frame 8;
  "Something ----s", frame 1; ...), as a bit mask (bit k = frame k), over the synset and all
  its words: whether a verb can take a direct object is read from these.

Input: Debian's ``wordnet-base`` (``/usr/share/wordnet``, pinned by build_lexicon.py) and the
shipped ``vocabulary.table`` / ``wordnet.table``. The output is a mapped table in its final
form (the layout is documented where it is read, ``spindetect.score.context._sense_data``):
the signatures as sorted (synset, word) keys with each word's weight, and the pairs of
synsets WordNet links directly, so that the scorer computes nothing from them at run time.
Output is byte-deterministic.

Usage::

    python scripts/build_senses.py            # (re)build src/spindetect/data/senses.table
    python scripts/build_senses.py --check    # rebuild in a temporary folder, compare bytes
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_lexicon import DEFAULT_WORDNET, POS_FILE, POS_ORDER  # noqa: E402
from shipped_file import write_or_check_file  # noqa: E402

from spindetect import lexicon  # noqa: E402
from spindetect._tables import write_table  # noqa: E402
from spindetect.lexicon.loading import DATA_DIR, WordNet, vocabulary  # noqa: E402
from spindetect.lexicon.loading import wordnet as lexicon_wordnet  # noqa: E402
from spindetect.lexicon.morphology import normalize, vocabulary_ids  # noqa: E402
from spindetect.score.context import SENSES_VERSION  # noqa: E402

BUILT_BY = "scripts/build_senses.py"
SENSES_PATH = DATA_DIR / "senses.table"
# Words too general to tell senses apart ("a person who ...", "the act of ..."), besides the
# function words the scorer already knows.
GLOSS_STOPWORDS = frozenset(
    """act activity being cause condition form give go kind make manner part person place
    quality relate relating something someone somebody state thing used using usually way""".split()
)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
# Only the senses of common, ambiguous words get a signature: a spinner swaps common words,
# and a word with one sense needs no choosing. Zipf 3 is about once per million words
# (wordfreq); it keeps 42,000 of the 117,659 synsets.
MIN_ZIPF = 3.0


def _base_ids(word: str, ids: dict[str, int]) -> list[int]:
    """Vocabulary ids of ``word``'s WordNet base forms, or of the word itself when it has none."""
    bases = lexicon.wordnet_lemmas(word) or ((word,) if word in ids else ())
    return [ids[base] for base in bases if base in ids]


def _content_words(text: str) -> list[str]:
    return [
        word for word in _WORD.findall(text.lower())
        if len(word) > 2 and word not in lexicon.FUNCTION_WORDS and word not in GLOSS_STOPWORDS
    ]


def read_synsets(
    wordnet: Path,
) -> list[tuple[int, int, list[str], list[int], str, int, set[str]]]:
    """(POS index, offset, lemmas, hypernym offsets of the same POS file, gloss, frame bits,
    the lemmas written with a capital) of every synset, in the shipped table's order
    (POS_ORDER, then offset)."""
    rows = []
    for pos_index, pos in enumerate(POS_ORDER):
        with open(wordnet / f"data.{POS_FILE[pos]}", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(" "):
                    continue
                fields_text, _, gloss = line.partition(" | ")
                fields = fields_text.split()
                offset, word_count = int(fields[0]), int(fields[3], 16)
                written = [re.sub(r"\(.*\)$", "", fields[4 + 2 * k]) for k in range(word_count)]
                lemmas = [normalize(word) for word in written]
                capitalized = {normalize(word) for word in written if word[:1].isupper()}
                at = 4 + 2 * word_count
                pointer_count = int(fields[at])
                at += 1
                hypernyms = []
                for _ in range(pointer_count):
                    symbol, target, target_pos = fields[at], int(fields[at + 1]), fields[at + 2]
                    if symbol in ("@", "@i") and target_pos == pos:
                        hypernyms.append(target)
                    at += 4
                frames = 0
                if pos == "v" and at < len(fields):
                    frame_count = int(fields[at])
                    at += 1
                    for _ in range(frame_count):
                        frames |= 1 << int(fields[at + 1])  # fields[at] is "+"
                        at += 3
                rows.append((pos_index, offset, lemmas, hypernyms, gloss, frames, capitalized))
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


def _ambiguous_common_synsets(wordnet: WordNet, words: tuple[str, ...]) -> np.ndarray:
    """For each synset: whether one of its lemmas has two or more senses and Zipf >= MIN_ZIPF."""
    import wordfreq

    zipf = np.array([wordfreq.zipf_frequency(word, "en") for word in words], dtype=np.float64)
    sense_counts = np.bincount(wordnet.sense_lemma, minlength=len(words))
    lemma = wordnet.sense_lemma
    wanted = np.zeros(wordnet.synset_pos.size, dtype=bool)
    wanted[wordnet.sense_synset[(zipf[lemma] >= MIN_ZIPF) & (sense_counts[lemma] >= 2)]] = True
    return wanted


def synset_relations(wordnet: WordNet) -> np.ndarray:
    """Sorted keys ``a << 32 | b`` of every pair of synsets WordNet links directly, both
    ways: b is a's hypernym or hyponym, or similar to a."""
    pairs = []
    for indptr, indices in (
        (wordnet.hypernym_indptr, wordnet.hypernym_indices),
        (wordnet.similar_indptr, wordnet.similar_indices),
    ):
        source = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), np.diff(indptr))
        pairs += [(source, indices), (indices, source)]
    left = np.concatenate([a for a, _ in pairs]).astype(np.uint64)
    right = np.concatenate([b for _, b in pairs]).astype(np.uint64)
    return np.unique((left << np.uint64(32)) | right)


def build(out: Path, wordnet: Path) -> None:
    words_by_id = vocabulary().words
    ids = vocabulary_ids()
    synsets = read_synsets(wordnet)
    shipped = lexicon_wordnet()
    if len(synsets) != shipped.synset_pos.size:
        raise SystemExit(f"{len(synsets)} synsets read but wordnet.table has {shipped.synset_pos.size}")
    row_of = {(pos, offset): row for row, (pos, offset, *_rest) in enumerate(synsets)}
    wanted = _ambiguous_common_synsets(shipped, words_by_id)
    signatures: list[list[int]] = []
    for row, (pos, _offset, lemmas, hypernyms, gloss, _frames, _capitals) in enumerate(synsets):
        words: set[int] = set()
        if not wanted[row]:
            signatures.append([])
            continue
        for lemma in lemmas:
            words.update(_base_ids(lemma, ids))
            for part in lemma.split():
                if part not in lexicon.FUNCTION_WORDS:
                    words.update(_base_ids(part, ids))
        for hypernym in hypernyms:
            for lemma in synsets[row_of[(pos, hypernym)]][2]:
                words.update(_base_ids(lemma, ids))
        for word in _content_words(gloss):
            words.update(_base_ids(word, ids))
        signatures.append(sorted(words))
    indptr = np.zeros(len(signatures) + 1, dtype=np.int64)
    np.cumsum([len(words) for words in signatures], out=indptr[1:])
    words = np.fromiter((w for row in signatures for w in row), dtype=np.int64, count=int(indptr[-1]))
    frames = np.array([row[5] for row in synsets], dtype=np.uint64)
    # A sense whose lemma WordNet writes with a capital ("Nice", the city) is a name: it
    # says nothing of what the lower-case word can be.
    capitalized = np.fromiter(
        (words_by_id[lemma] in synsets[synset][6]
         for lemma, synset in zip(shipped.sense_lemma.tolist(), shipped.sense_synset.tolist())),
        dtype=bool, count=shipped.sense_synset.size,
    )
    # Signature keys (rows in synset order, ids sorted within a row: sorted) and each word's
    # inverse document frequency over the signatures.
    rows = np.diff(indptr)
    synset = np.repeat(np.arange(rows.size, dtype=np.int64), rows)
    keys = (synset.astype(np.uint64) << np.uint64(32)) | words.astype(np.uint64)
    signature_count = int((rows > 0).sum())
    frequency = np.bincount(words, minlength=len(words_by_id))
    weight = np.log(signature_count / np.maximum(frequency, 1)) / np.log(signature_count)
    write_table(out, kind="senses", version=SENSES_VERSION, built_by=BUILT_BY,
                meta={"vocabulary_sha256": vocabulary().sha256}, arrays={
                    "signature_keys": keys,
                    "word_weight": weight.astype(np.float64),
                    "verb_frames": frames,
                    "sense_capitalized": capitalized,
                    "synset_relations": synset_relations(shipped),
                })
    print(f"wrote {out}: {len(signatures)} synsets, {words.size} signature words, "
          f"{int((frames > 0).sum())} verb synsets with frames")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare a fresh build with the shipped file")
    parser.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET)
    args = parser.parse_args()
    return write_or_check_file(SENSES_PATH, lambda path: build(path, args.wordnet), check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
