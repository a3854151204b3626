"""cxportfolio: customer-experience improvement portfolios as code."""

__version__ = "0.1.0"
