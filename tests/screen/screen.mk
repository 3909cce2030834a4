# tests/screen/: screen tests of the VGA guests (docs/vga.md, "Screen tests"). Included from
# guest/guest.mk. screen-native-NAME runs a guest natively and checks that each picture it asks
# for has the announced size and is not blank. The native-against-nexus86 comparison,
# screen-diff-NAME, is switched on with the fragment docs/vga.md gives once the monitor runs
# guests; SCREEN_DIFF_GUESTS are the guests it compares (the demo prints machine facts, so its
# transcripts differ by design).

SCREEN_DIFF_GUESTS := $(filter $(BUILD)/guest/tests/vga-%,$(GUEST_TESTS))
SCREEN_GUESTS := $(SCREEN_DIFF_GUESTS) $(GUEST_DEMO)

$(foreach g,$(SCREEN_GUESTS),$(eval TESTS += screen-native-$(basename $(notdir $(g)))))
$(foreach g,$(SCREEN_GUESTS),$(eval TEST_CMD.screen-native-$(basename $(notdir $(g))) := \
	tests/screen/screen-test $(g)))
