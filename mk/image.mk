# mk: fragment (being written)
