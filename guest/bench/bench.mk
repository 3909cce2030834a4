# guest/bench/: the benchmark guest and `make bench` (tools/bench, docs/bench.md).
# One guest holds every benchmark; its command line picks one ("bench.elf NAME iterations=N").

BENCH_GUEST := $(BUILD)/guest/bench/bench.elf
$(eval $(call guest_elf,$(BENCH_GUEST),guest/bench/bench.c guest/bench/bench-loops.asm))
GUEST_ELFS += $(BENCH_GUEST)

# BENCH_ARGS passes options to tools/bench, e.g. make bench BENCH_ARGS='--reps 9'.
bench: $(MON_ELF) $(BENCH_GUEST) | deps-qemu deps-bench
	tools/bench --guest $(BENCH_GUEST) $(BENCH_ARGS)

# The harness itself: natively with short loops (every benchmark must give a positive number),
# and its monitor side through a stand-in QEMU (tools/bench-test-qemu). Neither writes docs/.
TESTS += bench-smoke
TEST_CMD.bench-smoke := tools/bench-smoke $(BENCH_GUEST)
TESTS += bench-harness
TEST_CMD.bench-harness := tools/bench-harness-test $(BENCH_GUEST)
