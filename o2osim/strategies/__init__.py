"""Strategy levers: what firms can decide, as rules that change who sells what, where and how.

One module per family of strategies:

- :mod:`o2osim.strategies.channel`: a brand's answer to channel conflict between its stores
  and dealers and the platforms (``brands[].channel_strategy``).
"""
