"""Input and output: parsing user input (specs, GeoJSON, place files) and writing exports."""
