"""Geometry of official boundaries: projections, Shapefiles, validity,
shared-border simplification and the compact routing index.  Pure: no AWS."""
