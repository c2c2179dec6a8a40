"""The competition's portal pages: the reviewers' own (``reviews``) and the officers' pages of a
round (``assignments``, ``rounds``), thin over the competition's services and selectors."""
