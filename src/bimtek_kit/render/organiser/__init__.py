"""The organisers' kit (DESIGN §9): documents made from the roster, only into `panitia/`.

Every renderer here plans no job at all when the course has no roster, so a course without
`content/peserta.*` builds exactly as before. Their job keys hold the roster's hash and the
kit's own `bimtek.yml` keys, never the modules' text: one more participant rebuilds the kit and
nothing else, and a module edit leaves the kit alone unless it changes what the kit shows.
"""
