"""Polish statutory money rules: late-payment interest and compensation for recovery costs."""
