"""``make bench``: speed and memory of the portal at volume, beside two framework floors."""
