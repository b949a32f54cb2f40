"""Building blocks of the sample-data generator (see ``samples/generate.py``)."""
