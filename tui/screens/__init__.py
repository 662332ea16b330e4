"""The screens of the UI, one module each."""
