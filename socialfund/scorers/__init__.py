"""scorers: the four sentiment scorer implementations behind ``socialfund.sentiment``
(the interface and the registry ``get_scorer``), and the lexicon data they read.

* ``lexicon``: the word lists in ``lexicon/`` (loading, normalisation, modifier words,
  token table, longest match);
* ``rules``: ``finance``, lexicon + rules (``FinanceScorer``, ``analyse``);
* ``adapted``: ``finance-adapted``, ``finance`` adapted to a corpus without labels;
* ``baseline``: ``snownlp``, the baseline;
* ``trained``: ``model:PATH``, a model trained on the user's labelled file.
"""
