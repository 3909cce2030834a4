# arch/x86: fragment (being written)
