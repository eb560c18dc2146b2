"""A static fact-check site generator: content/ → load → link → render → write → a cross-linked site."""
