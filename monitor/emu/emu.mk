# monitor/emu/: the state-oriented instruction emulator.
