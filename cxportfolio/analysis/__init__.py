"""Domain computations behind `rank`, `track` and `report`: pure functions of the portfolio."""
