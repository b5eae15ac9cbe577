"""Runtime modules copied verbatim into generated packages (real Python: linted, type-checked, unit-tested)."""
