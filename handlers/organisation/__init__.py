"""The district's organisation: street offices, communities, grids, buildings, units, admins
and the members' standing, as a street office's operator sets them up.

``structure``  communities (with their 街道), grids, units
``buildings``  buildings and their coordinates, the centre of the check-in geofence
``admins``     who may review and dispatch for a community or a whole 街道
``members``    the roll, and members who left (inactive: never whistled, assigned or ranked)
``said``       the confirmations the operator reads

Everything here refuses with :class:`handlers.errors.SetupRefused`, whose text is the line
the operator reads; the CLI only prints it.
"""
