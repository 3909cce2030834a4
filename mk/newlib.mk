# newlib, the monitor's C library: built once from Debian's newlib-source for i686-elf with the
# host gcc (there is no x86 newlib package). Built with x87 allowed, but the monitor links only its
# integer parts (sniprintf and friends, string functions, malloc); mk/image.mk checks the final
# image holds no FPU or SSE instruction.

NEWLIB_TARBALL := /usr/src/newlib/newlib-3.3.0.tar.xz
NEWLIB_STAMP := $(BUILD)/newlib/.built
NEWLIB_CFLAGS := -m32 -march=i686 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-mno-sse -mno-mmx $(UNDEF_HOST)

$(NEWLIB_STAMP): mk/newlib.mk | deps-build
	@echo "newlib: building libc for i686-elf into $(BUILD)/newlib (once, about a minute)"
	rm -rf $(BUILD)/newlib && mkdir -p $(BUILD)/newlib/src $(BUILD)/newlib/obj
	tar -xf $(NEWLIB_TARBALL) -C $(BUILD)/newlib/src --strip-components=1
	cd $(BUILD)/newlib/obj && ../src/configure --target=i686-elf --prefix=$(abspath $(BUILD)/newlib) \
		--disable-multilib --disable-newlib-supplied-syscalls --disable-nls \
		--enable-newlib-nano-malloc --disable-newlib-io-float \
		CC_FOR_TARGET=$(CC) CFLAGS_FOR_TARGET="$(NEWLIB_CFLAGS)" AR_FOR_TARGET=ar \
		AS_FOR_TARGET=as LD_FOR_TARGET=ld RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm \
		OBJDUMP_FOR_TARGET=objdump >../configure.log 2>&1 \
		|| { tail -20 ../configure.log; exit 1; }
	$(MAKE) -C $(BUILD)/newlib/obj -j$$(nproc) all-target-newlib >$(BUILD)/newlib/make.log 2>&1 \
		|| { tail -20 $(BUILD)/newlib/make.log; exit 1; }
	$(MAKE) -C $(BUILD)/newlib/obj install-target-newlib >>$(BUILD)/newlib/make.log 2>&1 \
		|| { tail -20 $(BUILD)/newlib/make.log; exit 1; }
	rm -rf $(BUILD)/newlib/src $(BUILD)/newlib/obj
	touch $@
