"""Flight physics: Kepler free flight, rotating Earth, boost models and flight-time reports."""
