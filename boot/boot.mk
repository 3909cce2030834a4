# boot: fragment (being written)
