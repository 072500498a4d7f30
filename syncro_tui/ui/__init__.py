"""The screens: they render state and call down (see ui.base for what they may use)."""
