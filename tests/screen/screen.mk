# tests/screen/: screen tests of the VGA guests (docs/vga.md, "Screen tests"). Included from
# guest/guest.mk. screen-native-NAME runs a guest natively and checks that each picture it asks
# for has the announced size and is not blank. screen-diff-NAME runs it natively and under
# nexus86 and compares exit status, COM1 transcript and every picture pixel for pixel; the demo
# prints machine facts (its command line, the memory size), so its transcripts differ by design
# and only its exit status and pictures are compared.

SCREEN_DIFF_GUESTS := $(filter $(BUILD)/guest/tests/vga-%,$(GUEST_TESTS))
SCREEN_GUESTS := $(SCREEN_DIFF_GUESTS) $(GUEST_DEMO)

$(foreach g,$(SCREEN_GUESTS),$(eval TESTS += screen-native-$(basename $(notdir $(g)))))
$(foreach g,$(SCREEN_GUESTS),$(eval TEST_CMD.screen-native-$(basename $(notdir $(g))) := \
	tests/screen/screen-test $(g)))

$(foreach g,$(SCREEN_DIFF_GUESTS),$(eval TESTS += screen-diff-$(basename $(notdir $(g)))))
$(foreach g,$(SCREEN_DIFF_GUESTS),$(eval TEST_CMD.screen-diff-$(basename $(notdir $(g))) := \
	tests/screen/screen-diff $(g)))
TESTS += screen-diff-demo
TEST_CMD.screen-diff-demo := tests/screen/screen-diff --pictures-only $(GUEST_DEMO)
