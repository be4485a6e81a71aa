"""`tf.keras.preprocessing.text`: Keras 2's word tokenizer (vocabulary by frequency, index 0
reserved) and its helpers."""

from __future__ import annotations

import collections
import json
from typing import Any, Callable, Iterable

import numpy as np

__all__ = ["Tokenizer", "text_to_word_sequence", "tokenizer_from_json"]

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_MODES = ("binary", "count", "tfidf", "freq")


def text_to_word_sequence(
    input_text: str, filters: str = DEFAULT_FILTERS, lower: bool = True, split: str = " "
) -> list[str]:
    """The words of a text: lowercased (if `lower`), each filter character turned into `split`,
    split on `split`, empty pieces dropped."""
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({char: split for char in filters}))
    return [word for word in input_text.split(split) if word]


class Tokenizer:
    """Keras 2's `Tokenizer`: words ranked by count (ties in first-seen order) get indices from
    1 (the `oov_token`, if any, takes 1); `num_words` keeps only indices below it.

    Args:
      num_words: keep the `num_words - 1` most frequent words when converting.
      filters: characters removed from texts.
      lower: lowercase texts first.
      split: the word separator.
      char_level: every character is a token.
      oov_token: the token out-of-vocabulary words become (index 1).
      analyzer: a callable splitting a text into tokens (instead of the default).
    """

    def __init__(
        self,
        num_words: int | None = None,
        filters: str = DEFAULT_FILTERS,
        lower: bool = True,
        split: str = " ",
        char_level: bool = False,
        oov_token: str | None = None,
        analyzer: Callable[[str], list[str]] | None = None,
        **kwargs: Any,
    ):
        if "nb_words" in kwargs:
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError("Unrecognized keyword arguments: " + str(kwargs))
        self.word_counts: collections.OrderedDict = collections.OrderedDict()
        self.word_docs: collections.defaultdict = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs: collections.defaultdict = collections.defaultdict(int)
        self.word_index: dict = {}
        self.index_word: dict = {}
        self.analyzer = analyzer

    def _tokens(self, text: Any) -> Any:
        """A text's tokens: a list (or char-level string) as given (lowercased), else split."""
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [item.lower() for item in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, filters=self.filters, lower=self.lower, split=self.split)

    def fit_on_texts(self, texts: Iterable[Any]) -> None:
        """Count the words of `texts` (strings, or lists of tokens) and rebuild the index."""
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for token in tokens:
                self.word_counts[token] = self.word_counts.get(token, 0) + 1
            for token in set(tokens):
                self.word_docs[token] += 1
        ranked = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)  # stable: ties keep order
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + [word for word, _ in ranked]
        self.word_index = {word: index for index, word in enumerate(vocabulary, start=1)}
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in list(self.word_docs.items()):
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences: list) -> None:
        """Count in how many sequences each index occurs (for 'tfidf' without texts)."""
        self.document_count += len(sequences)
        for sequence in sequences:
            for index in set(sequence):
                self.index_docs[index] += 1

    def texts_to_sequences_generator(self, texts: Iterable[Any]):
        """Yield each text's word indices (unknown or rare words become the OOV index, or are
        dropped without an `oov_token`)."""
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            indices = []
            for token in self._tokens(text):
                index = self.word_index.get(token)
                if index is None:
                    if self.oov_token is not None:
                        indices.append(oov_index)
                elif self.num_words and index >= self.num_words:
                    if oov_index is not None:
                        indices.append(oov_index)
                else:
                    indices.append(index)
            yield indices

    def texts_to_sequences(self, texts: Iterable[Any]) -> list[list[int]]:
        """Each text as a list of word indices."""
        return list(self.texts_to_sequences_generator(texts))

    def sequences_to_texts_generator(self, sequences: Iterable[Any]):
        """Yield each sequence's words joined by spaces (rare/unknown indices as the OOV token)."""
        oov_index = self.word_index.get(self.oov_token)
        for sequence in sequences:
            words = []
            for index in sequence:
                word = self.index_word.get(index)
                if word is None:
                    if self.oov_token is not None:
                        words.append(self.index_word[oov_index])
                elif self.num_words and index >= self.num_words:
                    if oov_index is not None:
                        words.append(self.index_word[oov_index])
                else:
                    words.append(word)
            yield " ".join(words)

    def sequences_to_texts(self, sequences: Iterable[Any]) -> list[str]:
        """Each sequence of indices as a text."""
        return list(self.sequences_to_texts_generator(sequences))

    def texts_to_matrix(self, texts: Iterable[Any], mode: str = "binary") -> np.ndarray:
        """`sequences_to_matrix` of the texts' sequences."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences: list, mode: str = "binary") -> np.ndarray:
        """A (len(sequences), num_words) float64 matrix: per index 1 ('binary'), its count
        ('count'), count / length ('freq'), or (1 + log count) * log(1 + docs / (1 + docs of
        the index)) ('tfidf'); indices >= num_words are ignored.

        Raises:
          ValueError: no `num_words` and nothing fitted, 'tfidf' before fitting, or an
            unknown mode (TF's messages).
        """
        if self.num_words:
            width = self.num_words
        elif self.word_index:
            width = len(self.word_index) + 1
        else:
            raise ValueError("Specify a dimension (`num_words` argument), or fit on some text data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        matrix = np.zeros((len(sequences), width))
        for row, sequence in enumerate(sequences):
            if not sequence:
                continue
            counts = collections.Counter(index for index in sequence if index < width)
            for index, count in counts.items():
                if mode == "count":
                    matrix[row][index] = count
                elif mode == "freq":
                    matrix[row][index] = count / len(sequence)
                elif mode == "binary":
                    matrix[row][index] = 1
                elif mode == "tfidf":
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(index, 0)))
                    matrix[row][index] = (1 + np.log(count)) * idf
                else:
                    raise ValueError("Unknown vectorization mode:", mode)
        return matrix

    def get_config(self) -> dict:
        """The configuration, the count tables as JSON strings (as Keras 2)."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs: Any) -> str:
        """`{"class_name": "Tokenizer", "config": get_config()}` as JSON (`kwargs` go to json.dumps)."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """The Tokenizer a `to_json()` string describes (index keys back to ints)."""
    config = dict(json.loads(json_string).get("config"))
    word_counts = json.loads(config.pop("word_counts"))
    word_docs = json.loads(config.pop("word_docs"))
    index_docs = {int(k): v for k, v in json.loads(config.pop("index_docs")).items()}
    index_word = {int(k): v for k, v in json.loads(config.pop("index_word")).items()}
    word_index = json.loads(config.pop("word_index"))
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = collections.OrderedDict(word_counts)
    tokenizer.word_docs = collections.defaultdict(int, word_docs)
    tokenizer.index_docs = collections.defaultdict(int, index_docs)
    tokenizer.word_index = word_index
    tokenizer.index_word = index_word
    return tokenizer
