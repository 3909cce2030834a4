# guest/: guest programs (demo guest, test guests) and their runtime.
GUEST_ELFS :=
