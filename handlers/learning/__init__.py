"""Learning from reviews (从审核中学习): every reviewed duty is a labelled example, and the
classifier uses what a community's examples taught it.

- ``examples.record``: store one decision on an order (admins' /approve and /recat, a
  resident's pick among the bot's guesses).
- ``learned.refine``: the inbound hook; a guess the lexicon is not very sure of is reconsidered
  with the community's learning (or the district's, while the community has none).
- ``stats``: how often the guess was confirmed (/nlu, ``whistle nlu stats``).
- ``terms``: terms proposed from corrections, accepted or dropped by admins (/lexicon).
"""
