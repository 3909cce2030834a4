# The monitor image and the ISO.
#
# The image is linked twice: the first link gives the addresses of the monitor's functions, which
# become a generated symbol table (build/symbols.c) in the second link, for backtraces. The table
# lives after .text, .rodata and .data, so adding it moves no function; the build checks that.
# The finished image must carry both multiboot headers and no FPU/SSE instruction.

MON_ELF := $(BUILD)/nexus86.elf
ISO := $(BUILD)/nexus86.iso
TEST_ISO := $(BUILD)/nexus86-selftest.iso
NEXUS_BIN := $(BUILD)/scan/nexus.bin
ISO_TIMEOUT ?= 0
DEMO_GUEST := $(BUILD)/guest/demo.elf

$(NEXUS_BIN): scan/nexus_entry.asm | deps-build
	@mkdir -p $(@D)
	$(NASM) -f bin $< -o $@

$(BUILD)/mon/scan/nexus_image.o: $(NEXUS_BIN)
$(BUILD)/mon/scan/nexus_image.o: MON_ASFLAGS += -DNEXUS_BIN='"$(NEXUS_BIN)"'
MON_ASM += scan/nexus_image.asm

$(BUILD)/symbols-empty.o: mk/symbols-empty.c $(NEWLIB_STAMP)
	$(CC) $(MON_CFLAGS) -c $< -o $@

$(BUILD)/nexus86.pass1.elf: $(MON_OBJS) $(BUILD)/symbols-empty.o linker.ld
	$(LD) $(MON_LDFLAGS) -o $@ $(MON_OBJS) $(BUILD)/symbols-empty.o $(MON_LIBS)

$(BUILD)/symbols.c: $(BUILD)/nexus86.pass1.elf tools/gen-symbols
	nm -n --defined-only $< | tools/gen-symbols >$@

$(BUILD)/symbols.o: $(BUILD)/symbols.c
	$(CC) $(MON_CFLAGS) -c $< -o $@

$(MON_ELF): $(MON_OBJS) $(BUILD)/symbols.o linker.ld $(BUILD)/nexus86.pass1.elf
	$(LD) $(MON_LDFLAGS) -Map=$(BUILD)/nexus86.map -o $@ $(MON_OBJS) $(BUILD)/symbols.o $(MON_LIBS)
	@diff <(nm -n $(BUILD)/nexus86.pass1.elf | grep -i ' t ') <(nm -n $@ | grep -i ' t ') >/dev/null \
		|| { echo "symbol table moved functions between link passes"; exit 1; }
	@grub-file --is-x86-multiboot $@ || { echo "$@: no valid multiboot1 header"; exit 1; }
	@grub-file --is-x86-multiboot2 $@ || { echo "$@: no valid multiboot2 header"; exit 1; }
	@if objdump -d --no-show-raw-insn $@ | grep -E -q \
		'^ +[0-9a-f]+:\s+(f[a-eg-z][a-z0-9]*|fs[a-z0-9]+|emms|[a-z0-9]+ .*%(x?mm|st))\b'; then \
		echo "$@ contains FPU/MMX/SSE instructions; the monitor must use general registers only:"; \
		objdump -d --no-show-raw-insn $@ | grep -E \
		'^ +[0-9a-f]+:\s+(f[a-eg-z][a-z0-9]*|fs[a-z0-9]+|emms|[a-z0-9]+ .*%(x?mm|st))\b' | head; \
		exit 1; fi

# The ISO: GRUB (BIOS) boots the monitor with multiboot2 and the bundled guests as modules.
$(BUILD)/iso/%/boot/grub/grub.cfg: boot/grub.cfg.in mk/image.mk
	@mkdir -p $(@D)
	sed -e 's/@TIMEOUT@/$(ISO_TIMEOUT)/' -e 's/@DEFAULT@/$(if $(filter selftest,$*),1,0)/' $< >$@

define iso_rule
$(1): $(BUILD)/iso/$(2)/boot/grub/grub.cfg $(MON_ELF) $(DEMO_GUEST) | deps-iso
	@mkdir -p $(BUILD)/iso/$(2)/boot/guests
	cp $(MON_ELF) $(BUILD)/iso/$(2)/boot/nexus86.elf
	cp $(DEMO_GUEST) $(BUILD)/iso/$(2)/boot/guests/demo.elf
	grub-mkrescue -o $$@ $(BUILD)/iso/$(2) >$(BUILD)/iso/$(2).log 2>&1 \
		|| { cat $(BUILD)/iso/$(2).log; exit 1; }
endef
$(eval $(call iso_rule,$(ISO),main))
$(eval $(call iso_rule,$(TEST_ISO),selftest))
