# devices/: the port and MMIO bus and the virtual PC's devices.
