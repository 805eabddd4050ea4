"""Data layer: the sourced catalog, Natural Earth countries, GeoNames places and the cache."""
