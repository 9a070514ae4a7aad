"""Offline lexical knowledge for scoring word swaps: the Moby thesaurus, WordNet 3.0 and
wordfreq's English frequencies.

The data ships in ``spindetect/data`` as mapped tables (``scripts/build_lexicon.py``,
``build_forms.py`` and ``build_frequencies.py`` build them) and is mapped on first use;
inflected forms are lemmatised with WordNet's morphy before every lookup. The modules:

- ``loading``: the data files, their layouts (documented where they are read) and loaders;
- ``morphology``: normalisation, closed-class words, morphy (its rules and its table);
- ``scalar``: one word or pair at a time, the public API for a person asking about a word
  and the plain reference each batch function is tested against;
- ``batch``: many words at once in numpy: what the extract and score stages call.

>>> are_thesaurus_synonyms("fines", "nices")
True
>>> wordnet_relation("country", "nation").rank_a
0"""

from .batch import (
    in_vocabulary,
    in_wordnet,
    pair_features,
    related_pairs,
    related_word_pairs,
    share_base_form,
    word_frequencies,
    word_statistics,
)
from .loading import FORMAT_VERSION, LexiconDataError
from .morphology import FUNCTION_WORDS, normalize
from .scalar import (
    FEATURE_NAMES,
    Sense,
    WordnetRelation,
    are_thesaurus_synonyms,
    are_wordnet_synonyms,
    thesaurus_synonyms,
    wordnet_lemmas,
    wordnet_relation,
    wordnet_senses,
    wordnet_synonyms,
)

__all__ = [
    "FEATURE_NAMES",
    "FORMAT_VERSION",
    "FUNCTION_WORDS",
    "LexiconDataError",
    "Sense",
    "WordnetRelation",
    "are_thesaurus_synonyms",
    "are_wordnet_synonyms",
    "in_vocabulary",
    "in_wordnet",
    "normalize",
    "pair_features",
    "related_pairs",
    "related_word_pairs",
    "share_base_form",
    "thesaurus_synonyms",
    "word_frequencies",
    "word_statistics",
    "wordnet_lemmas",
    "wordnet_relation",
    "wordnet_senses",
    "wordnet_synonyms",
]
