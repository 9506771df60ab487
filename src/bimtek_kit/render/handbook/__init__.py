"""The participant handbook: one chapter per module, as PDF and as a static site."""
