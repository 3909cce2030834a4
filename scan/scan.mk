# scan/: the decoder, its opcode table and (later) the prescanner. Owned by the decoder work.
