# tests: fragment (being written)
